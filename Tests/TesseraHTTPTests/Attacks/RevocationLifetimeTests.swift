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

/// A revocation lives until every token it could match has expired, whatever TTLs the nodes
/// ran with: a node restarted with a shorter `--access-ttl` must not let an old token back in.
@Suite(.redisServer) struct RevocationLifetimeTests {
    static func claims(_ token: String) throws -> AccessTokenClaims {
        try TokenVerifier(keys: KeySet([try SigningKey.hs256(secret: TestNode.secret)]), issuer: TesseraConfiguration.Defaults.issuer, audience: nil)
            .verify(token, now: Timestamp.nowSeconds())
    }

    @Test func aSessionRevokedAfterAShortTTLRefreshOutlivesTheLongTokenItIssuedFirst() async throws {
        let long = try await TestNode.make { $0.accessTokenTTL = .seconds(3600) }
        let short = try await TestNode.make(keyPrefix: long.node.store.keyPrefix) { $0.accessTokenTTL = .seconds(5) }
        // One session: log in on the long-TTL node, refresh and log out on the short-TTL node.
        let (access, refreshed) = try await long.app.test(.router) { client in
            try await client.registerUser("ttl-session")
            let login = try await client.login("ttl-session")
            return (try #require(login.string("access_token")), try #require(login.string("refresh_token")))
        }
        let expiryOfA = try Self.claims(access).expiresAt
        try await short.app.test(.router) { client in
            let refresh = try await client.refresh(refreshed)
            let shortAccess = try #require(refresh.string("access_token"))
            #expect(try await client.send(.post, "/logout", headers: bearer(shortAccess)).status == .noContent)
            #expect(try await client.send(.get, "/auth/verify", headers: bearer(access)).status == .unauthorized)
        }
        // The revocation records the latest expiry of any token of the session, never a lower one.
        let revoked = try #require(
            try await short.node.store.events(before: nil, limit: 10).first { $0.type == .sessionRevoked }?.decode(as: SessionRevoked.self)
        )
        #expect(revoked.accessExpiresAt >= expiryOfA * 1000)
        // Long after the short TTL, on the short node and on a node started now, A stays dead.
        short.node.state.revocations.prune(now: expiryOfA * 1000 - 1000)
        let fresh = try await TestNode.make(keyPrefix: long.node.store.keyPrefix) { $0.accessTokenTTL = .seconds(5) }
        fresh.node.state.revocations.prune(now: expiryOfA * 1000 - 1000)
        for node in [short, fresh] {
            try await node.app.test(.router) { client in
                let answer = try await client.send(.get, "/auth/verify", headers: bearer(access))
                #expect(answer.status == .unauthorized)
            }
        }
        await fresh.shutdown()
        await short.shutdown()
        await long.shutdown()
    }

    @Test func aForcedLogoutOnAShortTTLNodeOutlivesTheLongTokensIssuedBeforeIt() async throws {
        // The session's refresh token expires long before its access token: the forced logout
        // finds no live session to revoke, and only the user's not-before covers the token.
        let long = try await TestNode.make {
            $0.accessTokenTTL = .seconds(3600)
            $0.refreshTokenTTL = .seconds(1)
        }
        let short = try await TestNode.make(keyPrefix: long.node.store.keyPrefix) { $0.accessTokenTTL = .seconds(5) }
        let (access, admin) = try await long.app.test(.router) { client in
            let admin = try await long.adminToken(client: client)
            try await client.registerUser("ttl-forced")
            return (try #require(try await client.login("ttl-forced").string("access_token")), admin)
        }
        let expiryOfA = try Self.claims(access).expiresAt
        try await Task.sleep(for: .milliseconds(1500))
        try await short.app.test(.router) { client in
            let answer = try await client.send(.post, "/admin/users/ttl-forced/logout", headers: bearer(admin))
            #expect(answer.status == .noContent)
        }
        // Pruning long after the short node's own TTL must keep the not-before until A's expiry.
        let fresh = try await TestNode.make(keyPrefix: long.node.store.keyPrefix) { $0.accessTokenTTL = .seconds(5) }
        for node in [short, fresh] {
            node.node.state.revocations.prune(now: expiryOfA * 1000 - 1000)
            try await node.app.test(.router) { client in
                let answer = try await client.send(.get, "/auth/verify", headers: bearer(access))
                #expect(answer.status == .unauthorized)
            }
        }
        await fresh.shutdown()
        await short.shutdown()
        await long.shutdown()
    }
}
