import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RedisClient
import Synchronization
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraStore
import TesseraTestSupport
import Testing

/// No password, raw refresh token or access token is ever stored or logged: after a run of
/// every flow, neither the node's logs (every level, with metadata) nor any key, value or log
/// entry it wrote to Redis holds one of them.
@Suite(.redisServer) struct SecretsAtRestTests {
    /// Every secret a flow handled, as the client saw it.
    final class Secrets: Sendable {
        private let values = Mutex<Set<String>>([])
        var all: Set<String> { values.withLock { $0 } }
        func add(_ secret: String?) {
            guard let secret, !secret.isEmpty else { return }
            values.withLock { _ = $0.insert(secret) }
        }
        /// Records both tokens of a token answer; returns it.
        @discardableResult
        func tokens(of answer: Answer) -> Answer {
            add(answer.string("access_token"))
            add(answer.string("refresh_token"))
            return answer
        }
    }

    @Test func noPasswordRefreshTokenOrAccessTokenIsStoredOrLogged() async throws {
        let recorder = LogRecorder()
        let test = try await TestNode.make(logger: recorder.logger()) {
            $0.refreshReuseGrace = .seconds(30)
            $0.lockout.threshold = 3
        }
        let secrets = Secrets()
        let first = "first secret password"
        let second = "second secret password"
        for password in [first, second, "admin password!", "wrong guess password", "ghost guess password"] { secrets.add(password) }

        try await test.app.test(.router) { client in
            let admin = try await test.adminToken(client: client)
            secrets.add(admin)
            #expect(try await client.registerUser("keeper", password: first).status == .created)
            // Login, rotation, a grace retry, a reuse two generations back.
            let login = secrets.tokens(of: try await client.login("keeper", password: first))
            let original = try #require(login.string("refresh_token"))
            let rotated = secrets.tokens(of: try await client.refresh(original))
            #expect(secrets.tokens(of: try await client.refresh(original)).status == .ok, "grace retry")
            let next = secrets.tokens(of: try await client.refresh(try #require(rotated.string("refresh_token"))))
            #expect(next.status == .ok)
            try await client.refresh(original).expectError("invalid_grant", .badRequest)
            try await client.refresh("never-issued-but-presented-refresh-token").expectError("invalid_grant", .badRequest)
            secrets.add("never-issued-but-presented-refresh-token")
            // Failures and a lockout, of a known and an unknown name.
            try await client.login("keeper", password: "wrong guess password").expectError("invalid_grant", .badRequest)
            for _ in 0..<3 { _ = try await client.login("ghost", password: "ghost guess password") }
            // A password change, introspection, both kinds of /revoke, every kind of logout.
            let session = secrets.tokens(of: try await client.login("keeper", password: first))
            let access = try #require(session.string("access_token"))
            let change = try await client.postJSON(
                "/users/me/password",
                #"{"current_password":"\#(first)","new_password":"\#(second)"}"#,
                headers: bearer(access)
            )
            #expect(change.status == .noContent, "\(change.body)")
            let inspected = secrets.tokens(of: try await client.login("keeper", password: second))
            for token in [inspected.string("access_token"), inspected.string("refresh_token")] {
                let answer = try await client.postForm("/introspect", [("token", try #require(token))], headers: bearer(admin))
                #expect(answer.json["active"] as? Bool == true)
            }
            _ = try await client.postForm("/revoke", [("token", try #require(inspected.string("refresh_token")))])
            _ = try await client.postForm("/revoke", [("token", try #require(inspected.string("access_token")))])
            let leaving = secrets.tokens(of: try await client.login("keeper", password: second))
            #expect(try await client.send(.post, "/logout", headers: bearer(try #require(leaving.string("access_token")))).status == .noContent)
            let everywhere = secrets.tokens(of: try await client.login("keeper", password: second))
            secrets.tokens(of: try await client.login("keeper", password: second))
            let all = try await client.send(.post, "/logout/all", headers: bearer(try #require(everywhere.string("access_token"))))
            #expect(all.status == .noContent)
            secrets.tokens(of: try await client.login("keeper", password: second))
            for action in ["logout", "disable", "enable"] {
                #expect(try await client.send(.post, "/admin/users/keeper/\(action)", headers: bearer(admin)).status == .noContent)
            }
            #expect(try await client.send(.get, "/admin/events?limit=1000", headers: bearer(admin)).status == .ok)
        }
        // The follower has applied (and logged) everything.
        _ = try await waitUntil { test.node.state.appliedPosition == (try await test.node.store.head() ?? .zero) }

        let stored = try await Self.everythingStored(under: test.node.store.keyPrefix, in: test.node.store.pool)
        let logged = recorder.lines
        let secretList = secrets.all
        #expect(secretList.count >= 20, "the flow handled \(secretList.count) secrets")
        for secret in secretList {
            #expect(!stored.contains { $0.contains(secret) }, "Redis holds a secret: \(secret.prefix(12))…")
            #expect(!logged.contains { $0.contains(secret) }, "a log line holds a secret: \(secret.prefix(12))…")
        }
        // The controls: the scans do see what is there, hashes of the tokens and ids in the logs.
        let refreshTokens = secretList.filter { $0.utf8.count == 43 && !$0.contains(" ") }
        #expect(refreshTokens.contains { token in stored.contains { $0.contains(OpaqueToken.sha256Hex(token)) } })
        #expect(stored.contains { $0.contains("LoginSucceeded") })
        #expect(logged.contains { $0.contains("tessera.session.id") })
        await test.shutdown()
    }

    /// Every key under `prefix` and everything in it (strings, hashes, sets, sorted sets,
    /// lists, streams), as text.
    static func everythingStored(under prefix: String, in pool: RedisConnectionPool) async throws -> [String] {
        var keys: [String] = []
        var cursor = "0"
        repeat {
            let reply = try #require(try await pool.send("SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000").array)
            cursor = try #require(reply.first?.string)
            keys += reply.last?.array?.compactMap(\.string) ?? []
        } while cursor != "0"
        var texts = keys
        for key in keys {
            let value: RedisValue =
                switch try await pool.send("TYPE", key).string {
                case "string": try await pool.send("GET", key)
                case "hash": try await pool.send("HGETALL", key)
                case "set": try await pool.send("SMEMBERS", key)
                case "zset": try await pool.send("ZRANGE", key, "0", "-1", "WITHSCORES")
                case "list": try await pool.send("LRANGE", key, "0", "-1")
                case "stream": try await pool.send("XRANGE", key, "-", "+")
                default: .null
                }
            texts += Self.strings(in: value)
        }
        #expect(keys.count > 10, "the flow stored \(keys.count) keys")
        return texts
    }

    static func strings(in value: RedisValue) -> [String] {
        switch value {
        case .array(let values): values.flatMap(strings(in:))
        case .integer(let number): [String(number)]
        default: value.string.map { [$0] } ?? []
        }
    }
}
