public import Logging
import Metrics
import RedisClient
public import ServiceLifecycle
import Synchronization
public import TesseraCore

/// Keeps a node's state current: loads the revocation projection with the log position it
/// reflects, then follows the log from there (XREAD BLOCK on a connection of its own) and
/// applies every event to ``NodeState``, pruning expired revocations as it goes.
///
/// A read that reaches the head of the log (an empty round, or fewer events than a full batch)
/// marks the state as caught up; a full batch does not, so a node working through a backlog
/// stays closed until it is through. When Redis comes back after an outage, or a sentinel
/// failover moved the master, the follower resumes after the last applied id, so no revocation
/// is lost; and when the log there lacks that id (the server lost events this node applied), it
/// loads the snapshot again, so the node's view is the log's once more.
public final class RevocationFollower: Service, Sendable {
    /// The state this follower feeds.
    public let state: NodeState
    private let store: EventStore
    private let follower: EventFollower
    private let logger: Logger
    private let lastPrune = Atomic<Int64>(0)
    private let eventCounters = Mutex<[EventType: Counter]>([:])

    /// Creates a follower for `state`; nothing happens until `run()`.
    /// - Parameter batchSize: the most events one read applies.
    public init(store: EventStore, state: NodeState, blockMilliseconds: Int = 250, batchSize: Int = 1000, logger: Logger) {
        self.store = store
        self.state = state
        self.follower = EventFollower(
            configuration: store.pool.configuration,
            logKey: store.logKey,
            blockMilliseconds: blockMilliseconds,
            batchSize: batchSize,
            pool: store.pool,
            logger: logger
        )
        self.logger = logger
    }

    /// The log lost events this node applied: the snapshot must be loaded again.
    private struct LogRewound: Error {}

    /// Loads the snapshot (retrying until Redis answers), then follows until graceful shutdown.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                var start = try await self.loadSnapshot()
                while true {
                    do {
                        return try await self.follow(after: start)
                    } catch is LogRewound {
                        start = try await self.loadSnapshot()
                    }
                }
            }
        } catch is CancellationError {
            // Graceful shutdown: stopping is the expected end, not a failure of the service.
        }
    }

    /// Loads the revocation projection now (retrying until Redis answers); also what `run()`
    /// starts with. Returns the log position the snapshot reflects, where following starts.
    @discardableResult
    public func loadSnapshot() async throws -> EventID {
        var pause = 50
        while true {
            do {
                let snapshot = try await store.loadRevocations(nowMilliseconds: Timestamp.nowMilliseconds())
                state.load(snapshot)
                logger.info(
                    "revocation view loaded",
                    metadata: [
                        "tessera.revocations.count": "\(state.revocations.count)",
                        "tessera.log.position": "\(state.appliedPosition)",
                    ]
                )
                return snapshot.position
            } catch {
                logger.warning("cannot load the revocation view yet", metadata: ["tessera.error": "\(error)"])
                try await Task.sleep(for: .milliseconds(pause))
                pause = min(pause * 2, 1000)
            }
        }
    }

    /// Follows the log after `start` (the snapshot's position, never the node's own writes).
    func follow(after start: EventID) async throws {
        let batchSize = follower.batchSize
        try await follower.follow(after: start, startIsInLog: true) { update in
            let now = Timestamp.nowMilliseconds()
            switch update {
            case .events(let events):
                self.state.applyFromLog(events)
                for event in events { self.counter(for: event.type).increment() }
                // A full batch may have more behind it: caught up only when the read came back short.
                if events.count < batchSize { self.state.markCaughtUp() }
            case .idle:
                self.state.markCaughtUp()
            case .disconnected:
                break
            case .rewound:
                throw LogRewound()
            }
            if now - self.lastPrune.load(ordering: .relaxed) >= 10_000 {
                self.state.prune(nowMilliseconds: now)
                self.lastPrune.store(now, ordering: .relaxed)
            }
        }
    }

    /// `tessera_events_total{type}`: events this node read from the log, by type.
    private func counter(for type: EventType) -> Counter {
        eventCounters.withLock { counters in
            if let counter = counters[type] { return counter }
            let counter = Counter(label: "tessera_events_total", dimensions: [("type", type.name)])
            counters[type] = counter
            return counter
        }
    }
}
