import ArgumentParser
import Hummingbird
import Logging
import Metrics
import Prometheus
import RedisClient
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraPasswords
import TesseraStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API.",
        discussion: "Every flag may also be set as TESSERA_<FLAG> (upper case, - → _); flags win."
    )

    @OptionGroup var options: ServeOptions

    func run() async throws {
        try await UsageErrors.reported(serve)
    }

    private func serve() async throws {
        let environment = EnvironmentDefaults.process
        let logger = try CommandLogging.makeLogger(environment: environment)
        // /metrics emits this registry; bootstrap before any counter is made.
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: PrometheusMetricsFactory.defaultRegistry))
        let settings = try options.makeSettings(environment: environment, logger: logger)
        let configuration = settings.configuration
        let store = try await settings.redis.connect(logger: logger)
        let hasher = PasswordHasher(configuration: configuration.passwordHashing, logger: logger)
        defer { hasher.shutdown() }
        if let admin = settings.admin {
            do {
                try await Self.bootstrapAdmin(admin, service: AccountService(store: store, hasher: hasher, logger: logger))
            } catch {
                await store.pool.shutdown()
                throw error
            }
        }
        let keys = configuration.keys
        logger.info(
            "starting tessera",
            metadata: [
                "tessera.address": "\(settings.server.host):\(settings.server.port)",
                "tessera.redis": "\(settings.redis.endpoint)",
                "tessera.key_prefix": "\(settings.redis.keyPrefix)",
                "tessera.redis.min_replicas_ack": "\(settings.redis.minReplicasAck)",
                "tessera.issuer": "\(configuration.issuer)",
                "tessera.signing.algorithm": "\(keys.signingKey.algorithm.rawValue)",
                "tessera.signing.kid": "\(keys.signingKey.kid)",
                "tessera.verify.kids": .array(keys.keys.map { "\($0.kid) (\($0.algorithm.rawValue))" }),
                "tessera.http.idle_timeout": "\(settings.server.idleTimeout.map { "\($0)" } ?? "off")",
                "tessera.http.trusted_proxies": .array(settings.server.trustedProxies.map { "\($0)" }),
            ]
        )
        let node = TesseraNode(
            configuration: configuration,
            store: store,
            hasher: hasher,
            address: "\(settings.server.host):\(settings.server.port)",
            logger: logger
        )
        let app = TesseraApplication.make(node: node, server: settings.server, logger: logger)
        try await app.runService()
    }

    /// Creates the admin of `TESSERA_ADMIN_USERNAME`/`TESSERA_ADMIN_PASSWORD` unless the name exists.
    static func bootstrapAdmin(_ admin: AdminCredentials, service: AccountService) async throws {
        do {
            _ = try await service.ensureAdmin(username: admin.username, password: admin.password)
        } catch let error where error.code == .invalidInput {
            throw ValidationError("TESSERA_ADMIN_USERNAME/TESSERA_ADMIN_PASSWORD: \(error.message)")
        } catch {
            throw CommandFailure("cannot create the admin user '\(admin.username)': \(error.message)")
        }
    }
}
