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

/// Two nodes = two application instances sharing one Redis and key prefix, each with its own
/// revocation view and follower.
@Suite(.redisServer) struct RevocationTests {
    @Test func aLogoutOnOneNodeIsRejectedThereAtOnceAndOnTheOtherWithinASecond() async throws {
        let a = try await TestNode.make()
        let b = try await TestNode.make(keyPrefix: a.node.store.keyPrefix)
        try await a.app.test(.router) { clientA in
            try await b.app.test(.router) { clientB in
                try await clientA.registerUser("roamer")
                let access = try #require(try await clientA.login("roamer").string("access_token"))
                #expect(try await clientB.send(.get, "/users/me", headers: bearer(access)).status == .ok)

                let logout = try await clientA.send(.post, "/logout", headers: bearer(access))
                #expect(logout.status == .noContent)
                // On A at once: no waiting at all.
                #expect(try await clientA.send(.get, "/users/me", headers: bearer(access)).status == .unauthorized)
                let delay = try await waitUntil(seconds: 1) {
                    try await clientB.send(.get, "/auth/verify", headers: bearer(access)).status == .unauthorized
                }
                let measured = try #require(delay, "node B still accepts the token after 1 s")
                print("cross-node revocation delay (logout on A → 401 on B): \(measured)")
            }
        }
        await b.shutdown()
        await a.shutdown()
    }

    @Test func forcedLogoutAndDisableReachEveryNodeAndALoginRightAfterWorks() async throws {
        let a = try await TestNode.make()
        let b = try await TestNode.make(keyPrefix: a.node.store.keyPrefix)
        try await a.app.test(.router) { clientA in
            try await b.app.test(.router) { clientB in
                let admin = try await a.adminToken(client: clientA)
                try await clientA.registerUser("target")
                let first = try #require(try await clientA.login("target").string("access_token"))
                let second = try #require(try await clientA.login("target").string("access_token"))

                let forced = try await clientA.send(.post, "/admin/users/target/logout", headers: bearer(admin))
                #expect(forced.status == .noContent)
                let receipt = try #require(forced.headers[.init("Tessera-Revocation-Id")!])
                for token in [first, second] {
                    #expect(try await clientA.send(.get, "/users/me", headers: bearer(token)).status == .unauthorized)
                    #expect(
                        try await waitUntil(seconds: 1) { try await clientB.send(.get, "/users/me", headers: bearer(token)).status == .unauthorized }
                            != nil
                    )
                }
                // A login right after the forced logout works at once, within the same second.
                let fresh = try #require(try await clientA.login("target").string("access_token"))
                #expect(try await clientA.send(.get, "/users/me", headers: bearer(fresh)).status == .ok)
                #expect(try await clientB.send(.get, "/users/me", headers: bearer(fresh)).status == .ok)

                let events = try await clientA.send(.get, "/admin/users/target/events?limit=5", headers: bearer(admin))
                let types = (events.json["events"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
                #expect(types.contains("UserLoggedOutEverywhere"))
                #expect(types.contains("SessionRevoked"))
                #expect((events.json["events"] as? [[String: Any]])?.contains { $0["id"] as? String == receipt } == true)

                // Disable: the fresh token dies everywhere and the user cannot log in until enabled.
                #expect(try await clientA.send(.post, "/admin/users/target/disable", headers: bearer(admin)).status == .noContent)
                #expect(try await clientA.send(.get, "/users/me", headers: bearer(fresh)).status == .unauthorized)
                #expect(
                    try await waitUntil(seconds: 1) { try await clientB.send(.get, "/users/me", headers: bearer(fresh)).status == .unauthorized }
                        != nil
                )
                try await clientB.login("target").expectError("invalid_grant", .badRequest)
                #expect(try await clientA.send(.post, "/admin/users/target/enable", headers: bearer(admin)).status == .noContent)
                #expect(try await clientB.login("target").status == .ok)
            }
        }
        await b.shutdown()
        await a.shutdown()
    }

    @Test func revokingAnAccessTokenKillsOnlyThatToken() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            try await client.registerUser("precise")
            let login = try await client.login("precise")
            let first = try #require(login.string("access_token"))
            let refreshed = try await client.refresh(try #require(login.string("refresh_token")))
            let second = try #require(refreshed.string("access_token"))

            let revoke = try await client.postForm("/revoke", [("token", first), ("token_type_hint", "access_token")])
            #expect(revoke.status == .ok)
            #expect(revoke.headers[.init("Tessera-Revocation-Id")!] != nil)
            #expect(try await client.send(.get, "/users/me", headers: bearer(first)).status == .unauthorized)
            #expect(try await client.send(.get, "/users/me", headers: bearer(second)).status == .ok, "the session and its other token live on")

            let garbage = try await client.postForm("/revoke", [("token", "no-such-token")])
            #expect(garbage.status == .ok, "RFC 7009: unknown tokens get 200 too")
            #expect(garbage.headers[.init("Tessera-Revocation-Id")!] == nil, "nothing revoked, no receipt")

            // A refresh token revokes its whole session.
            #expect(try await client.postForm("/revoke", [("token", try #require(refreshed.string("refresh_token")))]).status == .ok)
            #expect(try await client.send(.get, "/users/me", headers: bearer(second)).status == .unauthorized)
        }
        await test.shutdown()
    }

    @Test func introspectionTellsLiveFromRevokedAndGarbage() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            let admin = try await test.adminToken(client: client)
            try await client.registerUser("inspected")
            let login = try await client.login("inspected")
            let access = try #require(login.string("access_token"))
            let refresh = try #require(login.string("refresh_token"))

            let live = try await client.postForm("/introspect", [("token", access)], headers: bearer(admin))
            #expect(live.json["active"] as? Bool == true)
            #expect(live.string("token_type") == "access_token")
            #expect(live.string("username") == "inspected")
            #expect(live.string("iss") == "http://localhost:8080")
            let liveRefresh = try await client.postForm("/introspect", [("token", refresh)], headers: bearer(admin))
            #expect(liveRefresh.json["active"] as? Bool == true)
            #expect(liveRefresh.string("token_type") == "refresh_token")

            #expect(try await client.send(.post, "/logout", headers: bearer(access)).status == .noContent)
            for token in [access, refresh, "garbage"] {
                let answer = try await client.postForm("/introspect", [("token", token)], headers: bearer(admin))
                #expect(answer.status == .ok)
                #expect(answer.body == #"{"active":false}"#)
            }
            try await client.postForm("/introspect", [("token", access)]).expectError("invalid_token", .unauthorized)
            try await client.registerUser("plain")
            let plain = try #require(try await client.login("plain").string("access_token"))
            try await client.postForm("/introspect", [("token", access)], headers: bearer(plain)).expectError("insufficient_scope", .forbidden)
        }
        await test.shutdown()
    }

    @Test func adminRoutesRefuseNonAdmins() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            try await client.registerUser("mortal")
            let token = try #require(try await client.login("mortal").string("access_token"))
            let routes: [(HTTPRequest.Method, String)] = [
                (.get, "/admin/users/mortal"), (.post, "/admin/users"), (.get, "/admin/users/mortal/sessions"),
                (.delete, "/admin/sessions/x"), (.post, "/admin/users/mortal/logout"), (.post, "/admin/users/mortal/disable"),
                (.post, "/admin/users/mortal/enable"), (.put, "/admin/users/mortal/roles"), (.get, "/admin/users/mortal/events"),
                (.get, "/admin/events"), (.get, "/admin/nodes"), (.get, "/admin/revocations/1-0"),
            ]
            for (method, path) in routes {
                try await client.send(method, path, headers: bearer(token)).expectError("insufficient_scope", .forbidden)
                try await client.send(method, path).expectError("invalid_token", .unauthorized)
            }
            #expect(try await client.send(.get, "/users/me", headers: bearer(token)).status == .ok, "nothing happened to the user")
        }
        await test.shutdown()
    }

    @Test func sessionsAreListedAndOneCanBeEnded() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            let admin = try await test.adminToken(client: client)
            try await client.registerUser("lister")
            let first = try #require(try await client.login("lister").string("access_token"))
            let second = try #require(try await client.login("lister").string("access_token"))
            let listing = try await client.send(.get, "/users/me/sessions", headers: bearer(first))
            let sessions = try #require(listing.json["sessions"] as? [[String: Any]])
            #expect(sessions.count == 2)
            #expect(sessions.filter { $0["current"] as? Bool == true }.count == 1)
            let other = try #require(sessions.first { $0["current"] as? Bool == false }?["sid"] as? String)
            try await client.send(.delete, "/users/me/sessions/nope", headers: bearer(first)).expectError("not_found", .notFound)
            #expect(try await client.send(.delete, "/users/me/sessions/\(other)", headers: bearer(first)).status == .noContent)
            #expect(try await client.send(.get, "/users/me", headers: bearer(second)).status == .unauthorized)

            let adminListing = try await client.send(.get, "/admin/users/lister/sessions", headers: bearer(admin))
            let remaining = try #require(adminListing.json["sessions"] as? [[String: Any]])
            #expect(remaining.count == 1)
            #expect(remaining.first?["current"] as? Bool == false, "always false in admin listings")
            let sid = try #require(remaining.first?["sid"] as? String)
            #expect(try await client.send(.delete, "/admin/sessions/\(sid)", headers: bearer(admin)).status == .noContent)
            #expect(try await client.send(.get, "/users/me", headers: bearer(first)).status == .unauthorized)
        }
        await test.shutdown()
    }

    @Test func aReceiptTurnsCompleteOnceBothNodesAppliedIt() async throws {
        let a = try await TestNode.make()
        let b = try await TestNode.make(keyPrefix: a.node.store.keyPrefix)
        try await a.app.test(.router) { client in
            let admin = try await a.adminToken(client: client)
            try await client.registerUser("receipt")
            let access = try #require(try await client.login("receipt").string("access_token"))
            let logout = try await client.send(.post, "/logout", headers: bearer(access))
            let id = try #require(logout.headers[.init("Tessera-Revocation-Id")!])
            let complete = try await waitUntil(seconds: 5) {
                let receipt = try await client.send(.get, "/admin/revocations/\(id)", headers: bearer(admin))
                return receipt.json["nodes"] as? Int == 2 && receipt.json["complete"] as? Bool == true
            }
            #expect(complete != nil)
            let log = try await client.send(.get, "/admin/events?limit=2", headers: bearer(admin))
            let page = try #require(log.json["events"] as? [[String: Any]])
            #expect(page.count == 2)
            #expect(page.first?["type"] as? String == "UserRegistered")
            #expect((page.first?["data"] as? [String: Any])?["password_hash"] as? String == "[redacted]")
            let next = try #require(log.string("next"))
            let rest = try await client.send(.get, "/admin/events?after=\(next)&limit=1000", headers: bearer(admin))
            #expect((rest.json["events"] as? [[String: Any]])?.first?["id"] as? String != page.last?["id"] as? String, "after is exclusive")
            #expect(!rest.body.contains("$y$"), "no password hash leaves through the export")
            try await client.send(.get, "/admin/events?limit=1001", headers: bearer(admin)).expectError("invalid_request", .badRequest)
            let nodes = try await client.send(.get, "/admin/nodes", headers: bearer(admin))
            #expect((nodes.json["nodes"] as? [[String: Any]])?.count == 2)
            try await client.send(.get, "/admin/revocations/not-an-id", headers: bearer(admin)).expectError("invalid_request", .badRequest)
            try await client.send(.get, "/admin/revocations/1-0", headers: bearer(admin)).expectError("not_found", .notFound)
        }
        await b.shutdown()
        await a.shutdown()
    }

    @Test func verifyAnswersEveryMethodAndSubPathWithTheIdentityHeaders() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            _ = try await test.node.accounts.register(
                username: "gw",
                password: Array("gateway password".utf8),
                email: nil,
                roles: ["reader", "writer"]
            )
            let token = try #require(try await client.login("gw", password: "gateway password").string("access_token"))
            for method: HTTPRequest.Method in [.get, .head, .post, .put, .patch, .delete] {
                for path in ["/auth/verify", "/auth/verify/orders/42"] {
                    let answer = try await client.send(method, path, headers: bearer(token))
                    #expect(answer.status == .ok, "\(method) \(path)")
                    #expect(answer.headers[.init("X-Auth-Username")!] == "gw")
                    #expect(answer.headers[.init("X-Auth-Roles")!] == "reader,writer")
                    #expect(answer.headers[.init("X-Auth-Session")!]?.isEmpty == false)
                    #expect(answer.headers[.init("X-Auth-Subject")!]?.isEmpty == false)
                }
            }
            #expect(try await client.send(.get, "/auth/verify?role=writer", headers: bearer(token)).status == .ok)
            try await client.send(.get, "/auth/verify?role=admin", headers: bearer(token)).expectError("insufficient_scope", .forbidden)
            let none = try await client.send(.get, "/auth/verify")
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == #"Bearer realm="tessera""#)
        }
        await test.shutdown()
    }

    @Test func rolesChangeForTokensOfLaterLogins() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            let admin = try await test.adminToken(client: client)
            try await client.registerUser("promoted")
            let before = try await client.login("promoted")
            #expect(before.string("scope") == "")
            let changed = try await client.send(
                .put,
                "/admin/users/promoted/roles",
                headers: [.authorization: "Bearer \(admin)", .contentType: "application/json"],
                body: #"{"roles":["editor","viewer"]}"#
            )
            #expect(changed.status == .ok)
            #expect(changed.json["roles"] as? [String] == ["editor", "viewer"])
            #expect(changed.headers[.init("Tessera-Revocation-Id")!] == nil, "a role change revokes nothing")
            // A refresh never widens the session's grant (no roles at login); a new login carries them.
            let refreshed = try await client.refresh(try #require(before.string("refresh_token")))
            #expect(refreshed.string("scope") == "")
            #expect(try await client.login("promoted").string("scope") == "editor viewer")
            #expect(try await client.login("promoted", scope: "viewer").string("scope") == "viewer")
        }
        await test.shutdown()
    }
}
