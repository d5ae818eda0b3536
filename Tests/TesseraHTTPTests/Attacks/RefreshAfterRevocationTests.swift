import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraStore
import TesseraTestSupport
import Testing

/// A revocation that ends a session ends its refresh token too: no refresh brings a session
/// back after a logout everywhere, a forced logout or a disable (nor after an enable).
@Suite(.redisServer) struct RefreshAfterRevocationTests {
    /// Logs `username` in `count` times; returns the refresh tokens and the first access token.
    static func sessions(_ count: Int, of username: String, client: some TestClientProtocol) async throws -> (access: String, refresh: [String]) {
        var access: String?
        var refresh: [String] = []
        for _ in 0..<count {
            let login = try await client.login(username)
            access = access ?? login.string("access_token")
            refresh.append(try #require(login.string("refresh_token")))
        }
        return (try #require(access), refresh)
    }

    /// Every token refuses to refresh, as a dead session (not as reuse), and writes nothing.
    static func expectDead(_ tokens: [String], client: some TestClientProtocol, store: EventStore) async throws {
        let head = try await store.head()
        for token in tokens {
            try await client.refresh(token).expectError("invalid_grant", .badRequest)
        }
        #expect(try await store.head() == head, "a refused refresh appends nothing (no rotation, no reuse)")
    }

    @Test func noRefreshTokenOutlivesALogoutEverywhere() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            try await client.registerUser("everywhere")
            let (access, refresh) = try await Self.sessions(3, of: "everywhere", client: client)
            #expect(try await client.send(.post, "/logout/all", headers: bearer(access)).status == .noContent)
            try await Self.expectDead(refresh, client: client, store: test.node.store)
        }
        await test.shutdown()
    }

    @Test func noRefreshTokenOutlivesAForcedLogoutYetALoginRightAfterRefreshes() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            let admin = try await test.adminToken(client: client)
            try await client.registerUser("forced")
            let (_, refresh) = try await Self.sessions(3, of: "forced", client: client)
            #expect(try await client.send(.post, "/admin/users/forced/logout", headers: bearer(admin)).status == .noContent)
            try await Self.expectDead(refresh, client: client, store: test.node.store)
            for token in refresh {
                let introspected = try await client.postForm("/introspect", [("token", token)], headers: bearer(admin))
                #expect(introspected.body == #"{"active":false}"#)
            }
            // Within the same second as the forced logout: the new session and its refresh work.
            let fresh = try await client.login("forced")
            let refreshed = try await client.refresh(try #require(fresh.string("refresh_token")))
            #expect(refreshed.status == .ok, "\(refreshed.body)")
            #expect(try await client.send(.get, "/users/me", headers: bearer(try #require(refreshed.string("access_token")))).status == .ok)
        }
        await test.shutdown()
    }

    @Test func noRefreshTokenOutlivesADisableNorComesBackWithTheEnable() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            let admin = try await test.adminToken(client: client)
            try await client.registerUser("disabled")
            let (_, refresh) = try await Self.sessions(2, of: "disabled", client: client)
            #expect(try await client.send(.post, "/admin/users/disabled/disable", headers: bearer(admin)).status == .noContent)
            try await Self.expectDead(refresh, client: client, store: test.node.store)
            #expect(try await client.send(.post, "/admin/users/disabled/enable", headers: bearer(admin)).status == .noContent)
            try await Self.expectDead(refresh, client: client, store: test.node.store)
            #expect(try await client.login("disabled").status == .ok)
        }
        await test.shutdown()
    }
}
