import Logging
import RedisClient
import TesseraStore

/// Where a command's event store lives.
struct RedisSettings: Sendable {
    var endpoint: RedisEndpoint
    var keyPrefix: String
    /// Replicas that must confirm a revocation (`WAIT`); 0 waits for none.
    var minReplicasAck = 0
    /// How long a revocation waits for them.
    var replicaAckTimeout: Duration = .seconds(1)

    /// An event store on a new pool, after Redis has answered `PING`.
    ///
    /// - Throws: `CommandFailure` (exit 1), e.g. `cannot reach Redis at 127.0.0.1:6379: Connection refused`.
    func connect(poolSize: Int = 2, logger: Logger) async throws -> EventStore {
        // Revoking commands wait for the replicas on connections of their own (WAIT counts a
        // connection's own writes): more of them, and room to queue for them.
        let configuration =
            minReplicasAck > 0
            ? RedisConfiguration(endpoint: endpoint, poolSize: poolSize, maximumLeases: 8, maximumLeaseWaiters: 512)
            : RedisConfiguration(endpoint: endpoint, poolSize: poolSize)
        let pool = RedisConnectionPool(configuration: configuration, logger: logger)
        let reply: RedisValue
        do {
            reply = try await pool.send("PING")
        } catch {
            await pool.shutdown()
            throw CommandFailure(error.message)
        }
        if case .error(let text) = reply {
            await pool.shutdown()
            throw CommandFailure("Redis at \(endpoint) refused PING: \(text)")
        }
        return EventStore(
            pool: pool,
            keyPrefix: keyPrefix,
            minReplicasAck: minReplicasAck,
            replicaAckTimeout: replicaAckTimeout,
            logger: logger
        )
    }

    /// Runs `body` with a store from ``connect(poolSize:logger:)``, then shuts the store's pool
    /// down, whether `body` returns or throws.
    func withStore<Result>(
        poolSize: Int = 2,
        logger: Logger,
        _ body: (EventStore) async throws -> Result
    ) async throws -> Result {
        let store = try await connect(poolSize: poolSize, logger: logger)
        do {
            let result = try await body(store)
            await store.pool.shutdown()
            return result
        } catch {
            await store.pool.shutdown()
            throw error
        }
    }
}
