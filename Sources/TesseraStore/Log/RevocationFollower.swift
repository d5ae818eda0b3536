public import Logging
import Metrics
import RedisClient
public import ServiceLifecycle
import Synchronization
public import TesseraCore

/// Keeps a node's revocation view current: loads the revocation projection with the log
/// position it reflects, then follows the log from there (XREAD BLOCK on a connection of its
/// own) and applies every event, pruning expired entries as it goes.
///
/// `isFresh` answers whether the view can be trusted: it was loaded, and Redis was heard from
/// (events or an empty XREAD round) within `maxLag`. When Redis comes back after an outage the
/// follower resumes after the last applied id, so no revocation is lost.
public final class RevocationFollower: Service, Sendable {
    /// The view this follower feeds.
    public let view: RevocationView
    private let store: EventStore
    private let follower: EventFollower
    private let maxLagMilliseconds: Int64
    private let logger: Logger
    /// ms of the last round trip with Redis; 0 until the snapshot is loaded.
    private let lastHeard = Atomic<Int64>(0)
    private let lastPrune = Atomic<Int64>(0)
    private let eventCounters = Mutex<[EventType: Counter]>([:])
    private let onEvent: (@Sendable (RecordedEvent) -> Void)?

    /// Creates a follower for `view`; nothing happens until `run()`.
    ///
    /// `onEvent` is also given every event read from the log, after `view` has applied it
    /// (the node's other per-node state follows the log through it).
    public init(
        store: EventStore,
        view: RevocationView,
        maxLagSeconds: Double,
        blockMilliseconds: Int = 250,
        logger: Logger,
        onEvent: (@Sendable (RecordedEvent) -> Void)? = nil
    ) {
        self.store = store
        self.view = view
        self.follower = EventFollower(
            configuration: store.pool.configuration,
            logKey: store.logKey,
            blockMilliseconds: blockMilliseconds,
            logger: logger
        )
        self.maxLagMilliseconds = Int64(maxLagSeconds * 1000)
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Whether the view may be trusted at `now` (ms): loaded, and Redis heard from within the bound.
    public func isFresh(now: Int64) -> Bool {
        let heard = lastHeard.load(ordering: .acquiring)
        return heard > 0 && now - heard <= maxLagMilliseconds
    }

    /// Milliseconds since Redis was last heard from; nil before the snapshot is loaded.
    public func lagMilliseconds(now: Int64) -> Int64? {
        let heard = lastHeard.load(ordering: .acquiring)
        return heard > 0 ? max(0, now - heard) : nil
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
                try await store.loadRevocations(into: view, now: Self.now())
                markHeard()
                logger.info(
                    "revocation view loaded",
                    metadata: ["tessera.revocations.count": "\(view.count)", "tessera.log.position": "\(view.appliedThrough)"]
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
        try await follower.follow(after: view.appliedThrough) { update in
            switch update {
            case .events(let events):
                for event in events {
                    self.view.apply(event)
                    self.onEvent?(event)
                    self.counter(for: event.type).increment()
                }
                self.markHeard()
            case .idle:
                self.markHeard()
            case .disconnected:
                break
            }
            let now = Self.now()
            if now - self.lastPrune.load(ordering: .relaxed) >= 10_000 {
                self.view.prune(now: now)
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

    private func markHeard() {
        lastHeard.store(Self.now(), ordering: .releasing)
    }

    static func now() -> Int64 {
        Timestamp.nowMilliseconds()
    }
}
