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

/// `token_type_hint` is a hint: when it does not match, the other type is searched
/// (RFC 7009 §2.1, RFC 7662 §2.1).
@Suite(.redisServer) struct TokenTypeHintTests {
    @Test func aWronglyHintedTokenIsStillRevokedAndIntrospected() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            let admin = try await test.adminToken(client: client)
            try await client.registerUser("hinted")
            let login = try await client.login("hinted")
            let access = try #require(login.string("access_token"))
            let refresh = try #require(login.string("refresh_token"))

            let accessAsRefresh = try await client.postForm(
                "/introspect",
                [("token", access), ("token_type_hint", "refresh_token")],
                headers: bearer(admin)
            )
            #expect(accessAsRefresh.json["active"] as? Bool == true)
            #expect(accessAsRefresh.string("token_type") == "access_token")
            let refreshAsAccess = try await client.postForm(
                "/introspect",
                [("token", refresh), ("token_type_hint", "access_token")],
                headers: bearer(admin)
            )
            #expect(refreshAsAccess.json["active"] as? Bool == true)
            #expect(refreshAsAccess.string("token_type") == "refresh_token")

            let revoked = try await client.postForm("/revoke", [("token", access), ("token_type_hint", "refresh_token")])
            #expect(revoked.status == .ok)
            #expect(revoked.headers[.init("Tessera-Revocation-Id")!] != nil)
            #expect(try await client.send(.get, "/users/me", headers: bearer(access)).status == .unauthorized)
        }
        await test.shutdown()
    }
}
