public import Logging
import RedisClient
public import ServiceLifecycle
public import TesseraCore

/// Records, about once a second, that this node is alive and how far its revocation view has
/// applied the log: `node:<id>` (a hash that expires when the node stops refreshing it) and
/// the `nodes` index. `GET /admin/nodes` and revocation receipts read it.
public final class NodeRegistry: Service, Sendable {
    /// A node as the registry holds it.
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var address: String
        /// ms since the epoch.
        public var startedAt: Int64
        public var applied: EventID
        /// ms since the epoch.
        public var lastSeenAt: Int64
    }

    /// This node's id (random per process).
    public let nodeID: String
    private let address: String
    private let startedAt: Int64
    private let store: EventStore
    private let state: NodeState
    private let logger: Logger
    /// An entry not refreshed for this long is a dead node.
    public static let expiryMilliseconds: Int64 = 3000

    /// Creates the registry entry of this node; nothing is written until `run()`.
    public init(store: EventStore, state: NodeState, address: String, logger: Logger) {
        self.nodeID = OpaqueToken.makeID()
        self.address = address
        self.startedAt = Timestamp.nowMilliseconds()
        self.store = store
        self.state = state
        self.logger = logger
    }

    /// Writes the entry now.
    public func beat() async throws(StoreError) {
        let now = Timestamp.nowMilliseconds()
        let key = store.key("node", nodeID)
        _ = try await store.pipeline([
            RedisCommand(
                "HSET",
                key,
                "id",
                nodeID,
                "address",
                address,
                "started_at",
                String(startedAt),
                "applied",
                state.appliedPosition.description,
                "last_seen_at",
                String(now)
            ),
            RedisCommand("PEXPIRE", key, String(Self.expiryMilliseconds)),
            RedisCommand("ZADD", store.key("nodes"), String(now), nodeID),
            RedisCommand("ZREMRANGEBYSCORE", store.key("nodes"), "-inf", "(" + String(now - Self.expiryMilliseconds)),
        ])
    }

    /// Beats every second until graceful shutdown, then removes the entry.
    public func run() async throws {
        await cancelWhenGracefulShutdownIgnoringErrors {
            while !Task.isCancelled {
                do {
                    try await self.beat()
                } catch {
                    self.logger.warning("cannot record this node in the registry", metadata: ["tessera.error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        _ = try? await store.pipeline([
            RedisCommand("DEL", store.key("node", nodeID)),
            RedisCommand("ZREM", store.key("nodes"), nodeID),
        ])
    }

    /// Every live node of the deployment.
    public static func liveNodes(in store: EventStore, now: Int64) async throws(StoreError) -> [Entry] {
        let ids =
            try await store.value(
                RedisCommand("ZRANGEBYSCORE", store.key("nodes"), String(now - expiryMilliseconds), "+inf")
            ).array?.compactMap(\.string) ?? []
        guard !ids.isEmpty else { return [] }
        let replies = try await store.pipeline(ids.map { RedisCommand("HGETALL", store.key("node", $0)) })
        return replies.compactMap { reply in
            let fields = EventStore.fields(of: reply)
            guard let id = fields["id"], let applied = fields["applied"].flatMap(EventID.init) else { return nil }
            return Entry(
                id: id,
                address: fields["address"] ?? "",
                startedAt: Int64(fields["started_at"] ?? "") ?? 0,
                applied: applied,
                lastSeenAt: Int64(fields["last_seen_at"] ?? "") ?? 0
            )
        }
    }
}

private func cancelWhenGracefulShutdownIgnoringErrors(_ body: @escaping @Sendable () async -> Void) async {
    _ = try? await cancelWhenGracefulShutdown { () async throws in await body() }
}
