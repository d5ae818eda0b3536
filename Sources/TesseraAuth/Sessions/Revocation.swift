public import TesseraCore

/// What a revoking use case appended, already applied to this node's state.
public struct Revocation: Sendable, Equatable {
    /// The events appended, in log order; empty when there was nothing to revoke.
    public var events: [RecordedEvent]

    /// Creates a revocation.
    public init(events: [RecordedEvent]) {
        self.events = events
    }

    /// The receipt: the last event appended, which `GET /admin/revocations/{id}` follows
    /// across nodes; nil when nothing was revoked.
    public var receipt: EventID? { events.last?.id }
}
