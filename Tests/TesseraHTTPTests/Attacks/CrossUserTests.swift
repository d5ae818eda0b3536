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

/// What one signed-in user can do to another, and what the `introspect` role grants.
@Suite(.redisServer) struct CrossUserTests {
    @Test func aUserCannotEndAnotherUsersSessionByItsRealSid() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            try await client.registerUser("victim")
            try await client.registerUser("mallory")
            let victim = try await client.login("victim")
            let victimAccess = try #require(victim.string("access_token"))
            let mallory = try #require(try await client.login("mallory").string("access_token"))
            // The real sid, as a gateway sees it.
            let verified = try await client.send(.get, "/auth/verify", headers: bearer(victimAccess))
            let sid = try #require(verified.headers[.init("X-Auth-Session")!])

            let attempt = try await client.send(.delete, "/users/me/sessions/\(sid)", headers: bearer(mallory))
            attempt.expectError("not_found", .notFound)
            #expect(attempt.headers[.init("Tessera-Revocation-Id")!] == nil)
            #expect(try await client.send(.get, "/users/me", headers: bearer(victimAccess)).status == .ok)
            #expect(try await client.refresh(try #require(victim.string("refresh_token"))).status == .ok)
        }
        #expect(!(try await test.node.store.events(after: nil, limit: 100).contains { $0.type == .sessionRevoked }))
        await test.shutdown()
    }

    @Test func theIntrospectRoleMayIntrospectButIsNoAdmin() async throws {
        let test = try await TestNode.make()
        for (name, roles) in [("inspector", ["introspect"]), ("reader", ["reader"])] {
            _ = try await test.node.accounts.register(username: name, password: Array("correct horse battery".utf8), email: nil, roles: roles)
        }
        try await test.app.test(.router) { client in
            let inspector = try #require(try await client.login("inspector").string("access_token"))
            let reader = try await client.login("reader")
            let readerAccess = try #require(reader.string("access_token"))
            let readerRefresh = try #require(reader.string("refresh_token"))

            let access = try await client.postForm("/introspect", [("token", readerAccess)], headers: bearer(inspector))
            #expect(access.status == .ok)
            #expect(access.json["active"] as? Bool == true)
            #expect(access.string("username") == "reader")
            #expect(access.string("scope") == "reader")
            let refresh = try await client.postForm("/introspect", [("token", readerRefresh)], headers: bearer(inspector))
            #expect(refresh.json["active"] as? Bool == true)
            #expect(refresh.string("token_type") == "refresh_token")

            try await client.postForm("/introspect", [("token", inspector)], headers: bearer(readerAccess))
                .expectError("insufficient_scope", .forbidden)
            for (method, path) in [(HTTPRequest.Method.get, "/admin/users/reader"), (.post, "/admin/users/reader/logout"), (.get, "/admin/events")] {
                try await client.send(method, path, headers: bearer(inspector)).expectError("insufficient_scope", .forbidden)
            }
        }
        await test.shutdown()
    }
}
