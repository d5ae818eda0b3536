public import TesseraCore

/// One page of the log (or of a user's events) and the cursor of the next.
public struct EventPage: Sendable, Equatable {
    /// The events, in the page's order.
    public var events: [RecordedEvent]
    /// The id to pass as the next cursor; nil on the last page.
    public var next: EventID?
}
