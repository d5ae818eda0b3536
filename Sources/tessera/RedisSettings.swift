import Logging
import RedisClient
import TesseraStore

/// Where a command's event store lives.
struct RedisSettings: Sendable {
    var endpoint: RedisEndpoint
    var keyPrefix: String

    /// An event store on a new pool, after Redis has answered `PING`.
    ///
    /// - Throws: `CommandFailure` (exit 1), e.g. `cannot reach Redis at 127.0.0.1:6379: Connection refused`.
    func connect(poolSize: Int = 2, logger: Logger) async throws -> EventStore {
        let pool = RedisConnectionPool(configuration: RedisConfiguration(endpoint: endpoint, poolSize: poolSize), logger: logger)
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
        return EventStore(pool: pool, keyPrefix: keyPrefix, logger: logger)
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
