public import Logging
import Metrics
import RedisClient
public import ServiceLifecycle
import Synchronization
import TesseraCore

/// Keeps a node's state current: loads the revocation projection with the log position it
/// reflects, then follows the log from there (XREAD BLOCK on a connection of its own) and
/// applies every event to ``NodeState``, pruning expired revocations as it goes.
///
/// Every round trip with Redis (events or an empty read) marks the state as heard from; when
/// Redis comes back after an outage the follower resumes after the last applied id, so no
/// revocation is lost.
public final class RevocationFollower: Service, Sendable {
    /// The state this follower feeds.
    public let state: NodeState
    private let store: EventStore
    private let follower: EventFollower
    private let logger: Logger
    private let lastPrune = Atomic<Int64>(0)
    private let eventCounters = Mutex<[EventType: Counter]>([:])

    /// Creates a follower for `state`; nothing happens until `run()`.
    public init(store: EventStore, state: NodeState, blockMilliseconds: Int = 250, logger: Logger) {
        self.store = store
        self.state = state
        self.follower = EventFollower(
            configuration: store.pool.configuration,
            logKey: store.logKey,
            blockMilliseconds: blockMilliseconds,
            logger: logger
        )
        self.logger = logger
    }

    /// Loads the snapshot (retrying until Redis answers), then follows until graceful shutdown.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await self.loadSnapshot()
                try await self.follow()
            }
        } catch is CancellationError {
            // Graceful shutdown: stopping is the expected end, not a failure of the service.
        }
    }

    /// Loads the revocation projection now; also what `run()` starts with.
    public func loadSnapshot() async throws {
        var pause = 50
        while true {
            do {
                let now = Timestamp.nowMilliseconds()
                state.load(try await store.loadRevocations(nowMilliseconds: now), nowMilliseconds: now)
                logger.info(
                    "revocation view loaded",
                    metadata: [
                        "tessera.revocations.count": "\(state.revocations.count)",
                        "tessera.log.position": "\(state.appliedPosition)",
                    ]
                )
                return
            } catch {
                logger.warning("cannot load the revocation view yet", metadata: ["tessera.error": "\(error)"])
                try await Task.sleep(for: .milliseconds(pause))
                pause = min(pause * 2, 1000)
            }
        }
    }

    private func follow() async throws {
        try await follower.follow(after: state.appliedPosition) { update in
            let now = Timestamp.nowMilliseconds()
            switch update {
            case .events(let events):
                self.state.apply(events)
                for event in events { self.counter(for: event.type).increment() }
                self.state.markHeard(nowMilliseconds: now)
            case .idle:
                self.state.markHeard(nowMilliseconds: now)
            case .disconnected:
                break
            }
            if now - self.lastPrune.load(ordering: .relaxed) >= 10_000 {
                self.state.revocations.prune(now: now)
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
