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
import TesseraStoreTestSupport
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
    /// What the node, its services and its application log to.
    let logger: Logger
    /// The running services of a router-only test, nil when not started.
    private let services: ServiceGroup?
    private let running: Task<Void, any Error>?

    static func make(
        on server: RedisServer? = nil,
        keyPrefix: String = RedisServer.uniquePrefix(),
        followsLog: Bool = true,
        minReplicasAck: Int = 0,
        replicaAckTimeout: Duration = .seconds(1),
        metricsRegistry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        logger: Logger = Logger(label: "test"),
        trustedProxies: [IPNetwork] = [],
        _ adjust: (inout TesseraConfiguration) -> Void = { _ in }
    ) async throws -> TestNode {
        let server = try server ?? RedisServer.suite
        var configuration = TesseraConfiguration(
            keys: KeySet([try SigningKey.hs256(secret: secret)]),
            passwordHashing: .init(threads: 2, queueLimit: 64)
        )
        adjust(&configuration)
        let store = server.makeStore(
            keyPrefix: keyPrefix,
            poolSize: 8,
            minReplicasAck: minReplicasAck,
            replicaAckTimeout: replicaAckTimeout,
            logger: logger
        )
        let hasher = PasswordHasher(configuration: configuration.passwordHashing, logger: logger)
        let node = TesseraNode(configuration: configuration, store: store, hasher: hasher, address: "127.0.0.1:0", logger: logger)
        let app = Application(
            router: TesseraApplication.makeRouter(node: node, metricsRegistry: metricsRegistry, trustedProxies: trustedProxies),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: logger
        )
        guard followsLog else { return TestNode(node: node, app: app, logger: logger, services: nil, running: nil) }
        let services = ServiceGroup(
            configuration: .init(services: TesseraApplication.services(of: node), gracefulShutdownSignals: [], logger: logger)
        )
        let running = Task { try await services.run() }
        let test = TestNode(node: node, app: app, logger: logger, services: services, running: running)
        try await test.waitUntilFresh()
        return test
    }

    /// What `tessera serve` runs for this node: the router and the node's services.
    func productionApp(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) -> some ApplicationProtocol {
        var server = ServerConfiguration(host: "127.0.0.1", port: 0)
        adjust(&server)
        return TesseraApplication.make(node: node, server: server, logger: logger)
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
        let body = fields.map { "\(formEncoded($0.0))=\(formEncoded($0.1))" }.joined(separator: "&")
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

}

/// `text` percent-encoded for a form body.
func formEncoded(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
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

/// Runs `body` `count` times at once, each on a connection of its own to the live server
/// behind `client` (HummingbirdTesting's one live client serves one request at a time).
///
/// Every connection is opened and used once (`GET /healthz`) before any `body` starts, so the
/// bodies' requests reach the server together instead of spread over the connects.
func onSeparateConnections(
    _ count: Int,
    of client: some TestClientProtocol,
    _ body: @escaping @Sendable (Int, LiveConnection) async throws -> Answer
) async throws -> [Answer] {
    let port = try #require(client.port, "onSeparateConnections needs a .live test")
    let start = Barrier(count: count)
    return try await withThrowingTaskGroup(of: Answer.self) { group in
        for index in 0..<count {
            group.addTask {
                try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                    let connection = LiveConnection(client: client)
                    do {
                        _ = try await connection.send(.get, "/healthz")
                    } catch {
                        await start.arrive()
                        throw error
                    }
                    await start.arrive()
                    return try await body(index, connection)
                }
            }
        }
        return try await group.reduce(into: []) { $0.append($1) }
    }
}

/// Lets its callers on once `count` of them have arrived.
actor Barrier {
    private let count: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { self.count = count }

    func arrive() async {
        arrived += 1
        if arrived >= count {
            for waiter in waiting { waiter.resume() }
            waiting = []
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}

/// A connection of its own to a live test server (HummingbirdTesting's live client is one
/// connection, served one request at a time).
struct LiveConnection: Sendable {
    let client: TestClient

    func send(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], body: String? = nil) async throws -> Answer {
        var headers = headers
        headers[.connection] = "keep-alive"
        let request = TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body.map { ByteBuffer(string: $0) })
        let response = try await client.execute(request)
        return Answer(status: response.head.status, headers: response.head.headerFields, body: response.body.map { String(buffer: $0) } ?? "")
    }

    func postForm(_ uri: String, _ fields: [(String, String)], headers: HTTPFields = [:]) async throws -> Answer {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = fields.map { "\(formEncoded($0.0))=\(formEncoded($0.1))" }.joined(separator: "&")
        return try await send(.post, uri, headers: headers, body: body)
    }

    func postJSON(_ uri: String, _ json: String, headers: HTTPFields = [:]) async throws -> Answer {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await send(.post, uri, headers: headers, body: json)
    }

    func login(_ username: String, password: String = "correct horse battery") async throws -> Answer {
        try await postForm("/token", [("grant_type", "password"), ("username", username), ("password", password)])
    }

    func refresh(_ refreshToken: String) async throws -> Answer {
        try await postForm("/token", [("grant_type", "refresh_token"), ("refresh_token", refreshToken)])
    }
}
