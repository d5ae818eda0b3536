import ArgumentParser
import Hummingbird
import Logging
import RedisClient
import TesseraHTTP
import TesseraStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API. Every flag may also be set as TESSERA_<FLAG> (flags win)."
    )

    @Option(help: "Address to bind (default 127.0.0.1).") var host: String?
    @Option(help: "Port to bind (default 8080).") var port: Int?
    @Option(help: "Redis URL: redis://[user:password@]host:port[/db] or unix:///path (default redis://127.0.0.1:6379).")
    var redis: String?
    @Option(name: .customLong("key-prefix"), help: "Redis key prefix of this deployment (default tessera:).")
    var keyPrefix: String?

    func run() async throws {
        var logger = Logger(label: "tessera")
        logger.logLevel = .info
        let host = EnvironmentDefaults.resolve(host, flag: "host", default: "127.0.0.1")
        let port = try EnvironmentDefaults.resolveInt(port, flag: "port", default: 8080, range: 0...65535)
        let redisURL = EnvironmentDefaults.resolve(redis, flag: "redis", default: "redis://127.0.0.1:6379")
        let keyPrefix = EnvironmentDefaults.resolve(keyPrefix, flag: "key-prefix", default: "tessera:")
        let endpoint: RedisEndpoint
        do {
            endpoint = try RedisEndpoint(url: redisURL)
        } catch {
            throw ValidationError(error.message)
        }
        let pool = RedisConnectionPool(configuration: RedisConfiguration(endpoint: endpoint), logger: logger)
        do {
            _ = try await pool.send("PING")
        } catch {
            await pool.shutdown()
            throw CommandFailure(error.message)
        }
        let store = EventStore(pool: pool, keyPrefix: keyPrefix, logger: logger)
        let app = TesseraApplication.make(
            configuration: ServerConfiguration(host: host, port: port),
            store: store,
            logger: logger
        )
        try await app.runService()
    }
}
