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

/// A refresh never widens the grant (RFC 6749 §6), and a role removed since the login drops.
@Suite(.redisServer) struct ScopeTests {
    @Test func aRefreshKeepsTheScopeGrantedAtLoginAndLosesRemovedRoles() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            let admin = try await test.adminToken(client: client)
            _ = try await test.node.accounts.register(
                username: "narrow",
                password: Array("correct horse battery".utf8),
                email: nil,
                roles: ["reader", "writer", "admin"]
            )
            let login = try await client.login("narrow", scope: "reader writer")
            #expect(login.string("scope") == "reader writer")
            let first = try await client.refresh(try #require(login.string("refresh_token")))
            #expect(first.string("scope") == "reader writer", "the refresh must not add admin")
            let claims = try RevocationLifetimeTests.claims(try #require(first.string("access_token")))
            #expect(claims.roles == ["reader", "writer"])
            // An admin removes writer: the next refresh drops it too.
            let put = try await client.send(.put, "/admin/users/narrow/roles", headers: bearer(admin), body: #"{"roles":["reader","admin"]}"#)
            #expect(put.status == .ok)
            let second = try await client.refresh(try #require(first.string("refresh_token")))
            #expect(second.string("scope") == "reader")
            // Narrowing on refresh applies to that token only.
            let third = try await client.postForm(
                "/token",
                [("grant_type", "refresh_token"), ("refresh_token", try #require(second.string("refresh_token"))), ("scope", "admin")]
            )
            #expect(third.string("scope") == "")
        }
        await test.shutdown()
    }
}
