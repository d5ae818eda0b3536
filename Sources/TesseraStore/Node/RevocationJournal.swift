import Synchronization
public import TesseraCore

/// The revocations a node's log follower applied lately, in log order, with the position they
/// reach: what the revocation feed streams from.
///
/// It covers the log after ``start``: every revocation in (`start`, `position`] is here, and
/// only what the follower read (never the node's own writes ahead of it), so a client resuming
/// after an id skips nothing. A client resuming after an id older than `start` must load a
/// snapshot again. `capacity` bounds it: past it the oldest records go and `start` moves up.
public final class RevocationJournal: Sendable {
    /// One revocation and the id of the event that made it.
    public struct Record: Sendable, Equatable {
        /// The event's id in the log.
        public var id: EventID
        /// What it revokes.
        public var entry: RevocationView.Entry

        /// Creates a record.
        public init(id: EventID, entry: RevocationView.Entry) {
            self.id = id
            self.entry = entry
        }
    }

    /// What ``read(after:limit:)`` found.
    public enum Read: Sendable, Equatable {
        /// The records after the id (oldest first, possibly none), and the position they reach.
        case records([Record], position: EventID)
        /// The id is older than what the journal holds: load a snapshot again.
        case expired
    }

    private struct State {
        var start = EventID.zero
        var position = EventID.zero
        var records: [Record] = []
        var revokedCredentials: Set<String> = []
        var listeners: [Int: AsyncStream<Void>.Continuation] = [:]
        var nextListener = 0
    }

    private let state = Mutex(State())
    /// The most records kept.
    public let capacity: Int

    /// Creates an empty journal at position zero.
    public init(capacity: Int = 10_000) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    /// The oldest id a client may resume after.
    public var start: EventID { state.withLock { $0.start } }

    /// The newest event the follower has read.
    public var position: EventID { state.withLock { $0.position } }

    /// Records after `id` (exclusive), oldest first, at most `limit`. O(log n + limit).
    public func read(after id: EventID, limit: Int = 1000) -> Read {
        state.withLock { state in
            guard id >= state.start else { return .expired }
            var low = 0
            var high = state.records.count
            while low < high {
                let middle = (low + high) / 2
                if state.records[middle].id <= id { low = middle + 1 } else { high = middle }
            }
            let end = min(state.records.count, low + limit)
            let records = Array(state.records[low..<end])
            let position = end < state.records.count ? records.last!.id : max(state.position, id)
            return .records(records, position: position)
        }
    }

    /// Whether a feed credential was revoked since this node started following the log.
    public func isRevoked(credentialID: String) -> Bool {
        state.withLock { $0.revokedCredentials.contains(credentialID) }
    }

    /// A signal at once, after every change (an append or a reset), and every `interval`
    /// besides when one is given; it ends when the caller stops iterating it. Signals
    /// coalesce: a slow reader gets one for many changes.
    public func changes(tickingEvery interval: Duration? = nil) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let key = state.withLock { state in
            defer { state.nextListener += 1 }
            state.listeners[state.nextListener] = continuation
            return state.nextListener
        }
        continuation.yield()
        let ticker = interval.map { interval in
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    continuation.yield()
                }
            }
        }
        continuation.onTermination = { [weak self] _ in
            ticker?.cancel()
            _ = self?.state.withLock { $0.listeners.removeValue(forKey: key) }
        }
        return stream
    }

    /// Empties the journal at `position` (a snapshot was loaded there).
    func reset(at position: EventID) {
        let listeners = state.withLock { state in
            state.start = position
            state.position = position
            state.records.removeAll()
            return Array(state.listeners.values)
        }
        for listener in listeners { listener.yield() }
    }

    /// Adds what the follower read, through `position`.
    func append(_ records: [Record], through position: EventID, revokedCredentials: [String]) {
        let listeners = state.withLock { state in
            state.records += records
            // Dropped a quarter at a time, so appends stay amortised O(1).
            if state.records.count > capacity {
                let drop = state.records.count - capacity + capacity / 4
                state.start = state.records[min(drop, state.records.count) - 1].id
                state.records.removeFirst(min(drop, state.records.count))
            }
            state.position = max(state.position, position)
            state.revokedCredentials.formUnion(revokedCredentials)
            return Array(state.listeners.values)
        }
        for listener in listeners { listener.yield() }
    }
}
