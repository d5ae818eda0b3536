import ArgumentParser
import RedisClient

/// `--redis` and `--key-prefix`, shared by every command that talks to Redis.
struct RedisOptions: ParsableArguments {
    @Option(
        name: .customLong("redis"),
        help: """
            Redis URL: redis://[user:password@]host:port[/db], unix:///path[?db=N], or \
            redis-sentinel://[user:password@]host1:26379,host2:26379/MASTER-NAME[/db] to follow the master through \
            Sentinel failovers (env TESSERA_REDIS; default redis://127.0.0.1:6379).
            """
    )
    var url: String?

    @Option(name: .customLong("key-prefix"), help: "Redis key prefix of this deployment (env TESSERA_KEY_PREFIX; default tessera:).")
    var keyPrefix: String?

    /// The Redis of a local `make run`.
    static let defaultURL = "redis://127.0.0.1:6379"
    static let defaultKeyPrefix = "tessera:"

    /// The endpoint and prefix after flags, environment and defaults.
    /// - Throws: `ValidationError` when the URL cannot be parsed.
    func makeSettings(environment: EnvironmentDefaults) throws -> RedisSettings {
        let url = environment.resolve(url, flag: "redis", default: Self.defaultURL)
        let endpoint: RedisEndpoint
        do {
            endpoint = try RedisEndpoint(url: url)
        } catch {
            throw ValidationError(error.message)
        }
        return RedisSettings(endpoint: endpoint, keyPrefix: environment.resolve(keyPrefix, flag: "key-prefix", default: Self.defaultKeyPrefix))
    }
}
