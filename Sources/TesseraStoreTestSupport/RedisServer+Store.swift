public import Logging
import RedisClient
public import TesseraAuth
import TesseraCore
import TesseraPasswords
public import TesseraStore
public import TesseraTestSupport

extension RedisServer {
    /// An event store on this server, under `keyPrefix` (by default one no other test uses).
    ///
    /// The caller shuts its pool down (`store.pool.shutdown()`), or uses ``withSuiteStore(label:poolSize:_:)``.
    /// `minReplicasAck` and `replicaAckTimeout` are the store's `WAIT` for revocations.
    public func makeStore(
        keyPrefix: String = RedisServer.uniquePrefix(),
        poolSize: Int = 4,
        minReplicasAck: Int = 0,
        replicaAckTimeout: Duration = .seconds(1),
        logger: Logger = Logger(label: "test")
    ) -> EventStore {
        EventStore(
            pool: RedisConnectionPool(configuration: configuration(poolSize: poolSize), logger: logger),
            keyPrefix: keyPrefix,
            minReplicasAck: minReplicasAck,
            replicaAckTimeout: replicaAckTimeout,
            logger: logger
        )
    }

    /// Runs `body` with a store on the suite's server under a key prefix of its own
    /// (`label-xxxxxxxx:`), then shuts the store's pool down, whether `body` returns or throws.
    /// - Throws: `TestSupportError` when the suite has no `.redisServer` trait, or what `body` throws.
    public static func withSuiteStore<Result>(
        label: String = "t",
        poolSize: Int = 4,
        _ body: (EventStore) async throws -> Result
    ) async throws -> Result {
        let store = try suite.makeStore(keyPrefix: uniquePrefix(label), poolSize: poolSize)
        do {
            let result = try await body(store)
            await store.pool.shutdown()
            return result
        } catch {
            await store.pool.shutdown()
            throw error
        }
    }

    /// Like ``withSuiteStore(label:poolSize:_:)``, with an account service over the store that
    /// hashes passwords on one thread of its own (shut down afterwards too).
    public static func withSuiteAccounts<Result>(
        label: String = "t",
        _ body: (EventStore, AccountService) async throws -> Result
    ) async throws -> Result {
        let logger = Logger(label: "test")
        let hasher = PasswordHasher(configuration: .init(threads: 1, queueLimit: 4), logger: logger)
        defer { hasher.shutdown() }
        return try await withSuiteStore(label: label) { store in
            try await body(store, AccountService(store: store, hasher: hasher, logger: logger))
        }
    }
}
