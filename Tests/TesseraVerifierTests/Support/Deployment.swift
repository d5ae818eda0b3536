import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import RedisClient
import ServiceLifecycle
import Synchronization
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraPasswords
import TesseraStore
import TesseraTestSupport
import TesseraVerifier
import Testing

@testable import TesseraExampleAPI

let issuer = "http://tessera.test"
let secret = Array("tessera-verifier-test-secret-0123456789".utf8)
let logger = Logger(label: "test")

/// An application running on a free loopback port in a service group of its own.
final class RunningApp: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    /// Starts the service that `make` builds, given the callback that learns its port.
    static func start(_ make: (@escaping @Sendable (any Channel) async -> Void) -> any Service) async throws -> RunningApp {
        let port = Mutex<Int?>(nil)
        let app = make { channel in port.withLock { $0 = channel.localAddress?.port } }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        for _ in 0..<500 {
            if let bound = port.withLock({ $0 }) { return RunningApp(port: bound, group: group, task: task) }
            try await Task.sleep(for: .milliseconds(10))
        }
        await group.triggerGracefulShutdown()
        throw TestSupportError("the application did not start")
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// One Tessera node, served over real HTTP on loopback.
struct TesseraServer {
    let node: TesseraNode
    let app: RunningApp

    static func start(
        on redis: RedisServer,
        keyPrefix: String,
        keys: KeySet? = nil,
        maxRevocationLag: Duration = .seconds(2)
    ) async throws -> TesseraServer {
        let configuration = TesseraConfiguration(
            issuer: issuer,
            keys: try keys ?? KeySet([SigningKey.hs256(secret: secret)]),
            maxRevocationLag: maxRevocationLag,
            passwordHashing: .init(threads: 1, queueLimit: 16)
        )
        let store = EventStore(
            pool: RedisConnectionPool(configuration: redis.configuration(poolSize: 4), logger: logger),
            keyPrefix: keyPrefix,
            logger: logger
        )
        let hasher = PasswordHasher(configuration: configuration.passwordHashing, logger: logger)
        let node = TesseraNode(configuration: configuration, store: store, hasher: hasher, address: "127.0.0.1:0", logger: logger)
        let app = try await RunningApp.start { onServerRunning in
            Application(
                router: TesseraApplication.makeRouter(node: node),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                services: TesseraApplication.services(of: node),
                onServerRunning: onServerRunning,
                logger: logger
            )
        }
        let server = TesseraServer(node: node, app: app)
        #expect(try await waitUntil { node.state.isFresh() } != nil, "the Tessera node never became fresh")
        return server
    }

    var baseURL: String { app.baseURL }

    /// A feed credential issued as `tessera feed-credential issue` does.
    func issueFeedCredential(name: String = "api") async throws -> FeedCredential {
        let credential = FeedCredential.make()
        let issued = FeedCredentialIssued(credentialID: credential.id, name: name, secretHash: credential.secretHash)
        guard case .issued = try await node.store.run(IssueFeedCredential(issued)) else { throw TestSupportError("not issued") }
        return credential
    }

    /// Registers a user (with roles) and logs in over HTTP; returns the access token.
    func signIn(_ username: String, roles: [String] = []) async throws -> String {
        _ = try? await node.accounts.register(username: username, password: Array("password of \(username)".utf8), email: nil, roles: roles)
        let answer = try await HTTP.send(
            .POST,
            baseURL + "/token",
            form: [("grant_type", "password"), ("username", username), ("password", "password of \(username)")]
        )
        #expect(answer.status == 200, "login: \(answer.body)")
        return try #require(answer.json["access_token"] as? String)
    }

    func stop() async {
        await app.stop()
        node.hasher.shutdown()
        await node.store.pool.shutdown()
    }
}

/// An example API node, in process, fed from Redis or from a Tessera node's feed.
struct ExampleNode {
    let verifier: TesseraVerifier
    let app: RunningApp

    static func start(
        _ source: TesseraVerifierConfiguration.RevocationSource,
        maxRevocationLag: Duration = .seconds(2),
        hs256Secrets: [[UInt8]] = [secret],
        jwksURL: String? = nil,
        jwksRefetchInterval: Duration = .seconds(10)
    ) async throws -> ExampleNode {
        let verifier = try TesseraVerifier(
            configuration: .init(
                issuer: issuer,
                hs256Secrets: hs256Secrets,
                jwksURL: jwksURL,
                source: source,
                maxRevocationLag: maxRevocationLag,
                jwksRefetchInterval: jwksRefetchInterval
            ),
            logger: logger
        )
        let app = try await RunningApp.start { onServerRunning in
            Application(
                router: ExampleAPI.makeRouter(verifier: verifier),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                services: [verifier],
                onServerRunning: onServerRunning,
                logger: logger
            )
        }
        #expect(try await waitUntil { verifier.isFresh } != nil, "the API node never became fresh")
        return ExampleNode(verifier: verifier, app: app)
    }

    /// The status of `GET path` with the token.
    func status(_ path: String, token: String?) async throws -> Int {
        try await HTTP.send(.GET, app.baseURL + path, bearer: token).status
    }
}

/// A whole HTTP answer.
struct HTTPAnswer {
    var status: Int
    var headers: [(String, String)]
    var body: String

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
    }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

enum HTTP {
    static func send(
        _ method: HTTPMethod,
        _ url: String,
        bearer: String? = nil,
        form: [(String, String)]? = nil,
        headers: [(String, String)] = []
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer " + bearer) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let body = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 64 << 20)
        return HTTPAnswer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: String(buffer: body))
    }
}

/// Polls `condition` every 5 ms for up to `seconds`; returns how long it took, nil on timeout.
func waitUntil(seconds: Double = 5, _ condition: () async throws -> Bool) async throws -> Duration? {
    let start = ContinuousClock.now
    while ContinuousClock.now - start < .seconds(seconds) {
        if try await condition() { return ContinuousClock.now - start }
        try await Task.sleep(for: .milliseconds(5))
    }
    return nil
}
