import Logging
import RedisClient
import TesseraCore
import TesseraStore

/// Follows the log and hands each event to a writer as one JSON line (`RecordedEvent.jsonObject`).
struct EventTail: Sendable {
    /// Where printing starts.
    enum Start: Sendable, Equatable {
        /// After the newest event now in the log: only events appended from now on.
        case head
        /// At this id, inclusive.
        case at(EventID)
    }

    var store: EventStore
    var logger: Logger
    /// How long one XREAD waits for new events; bounds how late cancellation is noticed.
    var blockMilliseconds = 250

    /// Writes every event from `start` to `write`, in log order, one line (without newline) per
    /// event, and keeps following the log until the task is cancelled.
    /// - Throws: `CancellationError` when cancelled, what `write` throws, or `CommandFailure`
    ///   when the head of the log cannot be read.
    func run(from start: Start, write: @Sendable (String) async throws -> Void) async throws {
        let after: EventID
        switch start {
        case .head:
            do {
                after = try await store.head() ?? .zero
            } catch {
                throw CommandFailure("cannot read the event log: \(error.message)")
            }
        case .at(let id):
            after = Self.predecessor(of: id)
        }
        let follower = EventFollower(
            configuration: store.pool.configuration,
            logKey: store.logKey,
            blockMilliseconds: blockMilliseconds,
            logger: logger
        )
        try await follower.follow(after: after) { update in
            guard case .events(let events) = update else { return }
            for event in events { try await write(event.jsonObject) }
        }
    }

    /// The greatest id before `id`, so that following "after" it includes `id` itself.
    static func predecessor(of id: EventID) -> EventID {
        if id.sequence > 0 { return EventID(milliseconds: id.milliseconds, sequence: id.sequence - 1) }
        if id.milliseconds > 0 { return EventID(milliseconds: id.milliseconds - 1, sequence: .max) }
        return .zero
    }
}
