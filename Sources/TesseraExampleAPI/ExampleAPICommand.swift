import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import TesseraVerifier

/// `tessera-example-api`: a small API node that checks Tessera tokens in-process.
///
/// Flags may also come from the environment as `TESSERA_<FLAG>` (`TESSERA_HS256_SECRET`,
/// `TESSERA_FEED_CREDENTIAL`, ...); flags win.
@main
struct ExampleAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera-example-api",
        abstract: "An example API node: a public route, /me for any signed-in user, /admin for admins."
    )

    @Option(help: "The address to bind.") var host = "127.0.0.1"
    @Option(help: "The port to bind.") var port = 8081
    @Option(help: "The deployment's issuer.") var issuer: String?
    @Option(help: "A file holding the HS256 secret (or TESSERA_HS256_SECRET).") var hs256SecretFile: String?
    @Option(help: "A Tessera node's /.well-known/jwks.json, for EdDSA.") var jwksURL: String?
    @Option(help: "Follow the log in Redis directly (read-only): redis://user:password@host:port.") var redis: String?
    @Option(help: "The deployment's Redis key prefix.") var keyPrefix: String?
    @Option(help: "Follow a Tessera node's revocation feed instead: http://host:port.") var feed: String?
    @Option(help: "A file holding the feed credential (or TESSERA_FEED_CREDENTIAL).") var feedCredentialFile: String?
    @Option(help: "Seconds the revocation view may lag before checks fail closed.") var maxRevocationLag: Double?
    @Option(help: "Also serve /remote/me, authorised by this /auth/verify URL (for comparisons).") var remoteVerify: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        func setting(_ flag: String?, _ name: String) -> String? { flag ?? environment["TESSERA_" + name] }
        func secret(file: String?, variable: String) throws -> String? {
            if let file {
                var text = try String(contentsOfFile: file, encoding: .utf8)
                if text.hasSuffix("\n") { text.removeLast() }
                return text
            }
            return environment[variable]
        }
        var logger = Logger(label: "tessera-example-api")
        logger.logLevel = Logger.Level(rawValue: environment["TESSERA_LOG_LEVEL"] ?? "info") ?? .info

        let source: TesseraVerifierConfiguration.RevocationSource
        if let feed = setting(feed, "FEED") {
            guard let credential = try secret(file: setting(feedCredentialFile, "FEED_CREDENTIAL_FILE"), variable: "TESSERA_FEED_CREDENTIAL") else {
                throw ValidationError("--feed needs --feed-credential-file or TESSERA_FEED_CREDENTIAL")
            }
            source = .feed(baseURL: feed, credential: credential)
        } else if let redis = setting(redis, "REDIS") {
            source = .redis(url: redis, keyPrefix: setting(keyPrefix, "KEY_PREFIX") ?? "tessera:")
        } else {
            throw ValidationError("give --redis or --feed: where the revocation view comes from")
        }
        let secrets = try secret(file: setting(hs256SecretFile, "HS256_SECRET_FILE"), variable: "TESSERA_HS256_SECRET").map { [Array($0.utf8)] } ?? []
        let lag = maxRevocationLag ?? setting(nil, "MAX_REVOCATION_LAG").flatMap(Double.init) ?? 2
        let verifier: TesseraVerifier
        do {
            verifier = try TesseraVerifier(
                configuration: .init(
                    issuer: setting(issuer, "ISSUER") ?? "http://localhost:8080",
                    hs256Secrets: secrets,
                    jwksURL: setting(jwksURL, "JWKS_URL"),
                    source: source,
                    maxRevocationLag: .milliseconds(Int64(lag * 1000))
                ),
                logger: logger
            )
        } catch {
            throw ValidationError(error.message)
        }
        let remote = setting(remoteVerify, "REMOTE_VERIFY")
        let http = remote.map { _ in HTTPClient(eventLoopGroupProvider: .singleton) }
        let app = Application(
            router: ExampleAPI.makeRouter(verifier: verifier, remoteVerifyURL: remote, http: http),
            configuration: .init(address: .hostname(host, port: port), serverName: "tessera-example-api"),
            services: [verifier],
            logger: logger
        )
        do {
            try await app.runService()
        } catch {
            try? await http?.shutdown()
            throw error
        }
        try? await http?.shutdown()
    }
}
