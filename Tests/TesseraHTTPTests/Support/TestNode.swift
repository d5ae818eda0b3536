import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import RedisClient
import ServiceLifecycle
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraPasswords
import TesseraStore
import TesseraTestSupport
import Testing

/// One Tessera node for a test: its own key prefix on the suite's redis-server, assembled as
/// `tessera serve` assembles it: a `TesseraNode`, the production router, and the production
/// list of services (`TesseraApplication.services(of:)`) run in a `ServiceGroup` of the
/// node's own, so that several `app.test` blocks share one running node.
///
/// `app` carries no services itself (HummingbirdTesting runs an application's services for
/// each test block and stops them after it). `productionApp()` is exactly what `tessera serve`
/// runs, services included, for tests of that wiring.
struct TestNode {
    static let secret = Array("tessera-test-secret-0123456789abcdef".utf8)
    let node: TesseraNode
    let app: Application<RouterResponder<TesseraRequestContext>>
    /// The running services of a router-only test, nil when not started.
    private let services: ServiceGroup?
    private let running: Task<Void, any Error>?

    static func make(
        on server: RedisServer? = nil,
        keyPrefix: String = RedisServer.uniquePrefix(),
        followsLog: Bool = true,
        metricsRegistry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        _ adjust: (inout TesseraConfiguration) -> Void = { _ in }
    ) async throws -> TestNode {
        let server = try server ?? RedisServer.suite
        let logger = Logger(label: "test")
        var configuration = TesseraConfiguration(
            keys: KeySet([try SigningKey.hs256(secret: secret)]),
            passwordHashing: .init(threads: 2, queueLimit: 64)
        )
        adjust(&configuration)
        let store = EventStore(
            pool: RedisConnectionPool(configuration: server.configuration(poolSize: 8), logger: logger),
            keyPrefix: keyPrefix,
            logger: logger
        )
        let hasher = PasswordHasher(configuration: configuration.passwordHashing, logger: logger)
        let node = TesseraNode(configuration: configuration, store: store, hasher: hasher, address: "127.0.0.1:0", logger: logger)
        let app = Application(
            router: TesseraApplication.makeRouter(node: node, metricsRegistry: metricsRegistry),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: logger
        )
        guard followsLog else { return TestNode(node: node, app: app, services: nil, running: nil) }
        let services = ServiceGroup(
            configuration: .init(services: TesseraApplication.services(of: node), gracefulShutdownSignals: [], logger: logger)
        )
        let running = Task { try await services.run() }
        let test = TestNode(node: node, app: app, services: services, running: running)
        try await test.waitUntilFresh()
        return test
    }

    /// What `tessera serve` runs for this node: the router and the node's services.
    func productionApp() -> some ApplicationProtocol {
        TesseraApplication.make(node: node, server: .init(host: "127.0.0.1", port: 0), logger: Logger(label: "test"))
    }

    /// Waits until the node's revocation view is loaded and fresh.
    func waitUntilFresh() async throws {
        for _ in 0..<500 where !node.state.isFresh() {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    func shutdown() async {
        await services?.triggerGracefulShutdown()
        _ = await running?.result
        node.hasher.shutdown()
        await node.store.pool.shutdown()
    }
}

/// A decoded HTTP answer.
struct Answer {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
    }

    func string(_ name: String) -> String? { json[name] as? String }

    /// Checks the API's error shape and code.
    func expectError(_ code: String, _ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(self.status == status, "body: \(body)", sourceLocation: sourceLocation)
        #expect(string("error") == code, "body: \(body)", sourceLocation: sourceLocation)
        #expect((string("error_description") ?? "").isEmpty == false, "body: \(body)", sourceLocation: sourceLocation)
        #expect(headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    }
}

extension TestClientProtocol {
    /// Sends a request and returns the whole answer.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        headers: HTTPFields = [:],
        body: String? = nil
    ) async throws -> Answer {
        try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            Answer(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    /// `POST` a form body.
    func postForm(_ uri: String, _ fields: [(String, String)], headers: HTTPFields = [:]) async throws -> Answer {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = fields.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        return try await send(.post, uri, headers: headers, body: body)
    }

    /// `POST` a JSON body.
    func postJSON(_ uri: String, _ json: String, headers: HTTPFields = [:]) async throws -> Answer {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await send(.post, uri, headers: headers, body: json)
    }

    /// Registers a user through `POST /users`.
    @discardableResult
    func registerUser(_ username: String, password: String = "correct horse battery") async throws -> Answer {
        try await postJSON("/users", #"{"username":"\#(username)","password":"\#(password)"}"#)
    }

    /// Logs in with the password grant; returns the answer.
    func login(_ username: String, password: String = "correct horse battery", scope: String? = nil) async throws -> Answer {
        var fields = [("grant_type", "password"), ("username", username), ("password", password)]
        if let scope { fields.append(("scope", scope)) }
        return try await postForm("/token", fields)
    }

    /// Refreshes with a refresh token.
    func refresh(_ refreshToken: String) async throws -> Answer {
        try await postForm("/token", [("grant_type", "refresh_token"), ("refresh_token", refreshToken)])
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

func bearer(_ token: String) -> HTTPFields {
    [.authorization: "Bearer \(token)"]
}

extension TestNode {
    /// Registers a user with role `admin` directly and logs in; returns the access token.
    func adminToken(client: some TestClientProtocol, username: String = "root") async throws -> String {
        _ = try await node.accounts.register(username: username, password: Array("admin password!".utf8), email: nil, roles: ["admin"])
        let login = try await client.login(username, password: "admin password!")
        return try #require(login.string("access_token"))
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
