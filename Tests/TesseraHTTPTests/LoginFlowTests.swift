import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import RedisClient
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraPasswords
import TesseraStore
import TesseraTestSupport
import Testing

@Suite(.redisServer) struct LoginFlowTests {
    @Test func theTutorialFlowEndsWithBothTokensDead() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            let registered = try await client.registerUser("Alice")
            #expect(registered.status == .created)
            #expect(registered.string("username") == "Alice")
            #expect(registered.string("created_at")?.hasSuffix("Z") == true)

            let login = try await client.login("alice")  // matched case-insensitively
            #expect(login.status == .ok, "\(login.body)")
            #expect(login.headers[.cacheControl] == "no-store")
            #expect(login.headers[HTTPField.Name("Pragma")!] == "no-cache")
            #expect(login.string("token_type") == "bearer")
            #expect(login.json["expires_in"] as? Int == 900)
            #expect(login.string("scope") == "")
            let access = try #require(login.string("access_token"))
            let refresh = try #require(login.string("refresh_token"))
            #expect(refresh.utf8.count >= 43, "at least 256 bits")

            let me = try await client.send(.get, "/users/me", headers: bearer(access))
            #expect(me.status == .ok)
            #expect(me.string("username") == "Alice", "responses carry the stored form")

            let refreshed = try await client.refresh(refresh)
            #expect(refreshed.status == .ok, "\(refreshed.body)")
            let access2 = try #require(refreshed.string("access_token"))
            let refresh2 = try #require(refreshed.string("refresh_token"))
            #expect(refresh2 != refresh, "rotation gives a new refresh token")
            #expect(try await client.send(.get, "/users/me", headers: bearer(access)).status == .ok, "refresh does not end the old access token")

            let logout = try await client.send(.post, "/logout", headers: bearer(access2))
            #expect(logout.status == .noContent)
            #expect(logout.headers[HTTPField.Name("Tessera-Revocation-Id")!].flatMap(EventID.init) != nil)

            for token in [access, access2] {
                let dead = try await client.send(.get, "/users/me", headers: bearer(token))
                dead.expectError("invalid_token", .unauthorized)
                #expect(dead.headers[.wwwAuthenticate]?.hasPrefix(#"Bearer realm="tessera", error="invalid_token""#) == true)
            }
            try await client.refresh(refresh2).expectError("invalid_grant", .badRequest)
        }
        await test.shutdown()
    }

    @Test func anImportedPasslibBcryptHashLogsInAndIsUpgradedToYescrypt() async throws {
        let test = try await TestNode.make()
        // Python bcrypt 5.0 `hashpw(b"secret-password", gensalt(12))`, as a FastAPI/passlib store holds it.
        let bcrypt = "$2b$12$rjc.p7WjwvFbDbiyxLu25uh53e1pUwLb9qarFtpgS2mNpGXZ.mzn."
        let imported = try await test.node.accounts.importUser(
            username: "johndoe",
            passwordHash: bcrypt,
            email: "johndoe@example.com",
            roles: ["reader"],
            disabled: false
        )
        #expect(imported.passwordHash == bcrypt)
        try await test.app.test(.router) { client in
            let login = try await client.login("johndoe", password: "secret-password")
            #expect(login.status == .ok, "\(login.body)")
            #expect(login.string("scope") == "reader")
        }
        let upgraded = try #require(try await test.node.store.user(id: imported.id))
        #expect(upgraded.passwordHash.hasPrefix("$y$"))
        #expect(PasswordHashing.verify(Array("secret-password".utf8), against: upgraded.passwordHash))
        let events = try await test.node.store.events(after: nil, limit: 10).map(\.type)
        #expect(events == [.userImported, .passwordRehashed, .loginSucceeded])
        await test.shutdown()
    }

    @Test func ofTwentyConcurrentRefreshesWithOneTokenExactlyOneSucceeds() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.live) { client in
            try await client.registerUser("racer")
            let refresh = try #require(try await client.login("racer").string("refresh_token"))
            // A connection each: one live connection would be served one request at a time.
            let answers = try await onSeparateConnections(20, of: client) { _, connection in
                try await connection.refresh(refresh)
            }
            #expect(answers.filter { $0.status == .ok }.count == 1, "\(answers.map(\.status))")
            for refused in answers where refused.status != .ok {
                refused.expectError("invalid_grant", .badRequest)
            }
        }
        let types = try await test.node.store.events(after: nil, limit: 100).map(\.type)
        #expect(types.filter { $0 == .tokenRefreshed }.count == 1, "one rotation")
        #expect(types.filter { $0 == .refreshReuseDetected }.count == 1, "the first loser is reuse and revokes the session")
        await test.shutdown()
    }

    @Test func aRefreshedAccessTokenNamesTheSameUserSessionAndRoles() async throws {
        let test = try await TestNode.make()
        let user = try await test.node.accounts.register(
            username: "Carol",
            password: Array("correct horse battery".utf8),
            email: nil,
            roles: ["reader", "writer"]
        )
        try await test.app.test(.router) { client in
            let login = try await client.login("carol")
            let first = try await client.send(.get, "/auth/verify", headers: bearer(try #require(login.string("access_token"))))
            let refreshed = try await client.refresh(try #require(login.string("refresh_token")))
            #expect(refreshed.status == .ok, "\(refreshed.body)")
            #expect(refreshed.string("scope") == "reader writer")
            let access = try #require(refreshed.string("access_token"))
            let verified = try await client.send(.get, "/auth/verify", headers: bearer(access))
            #expect(verified.status == .ok)
            #expect(verified.headers[.init("X-Auth-Subject")!] == user.id)
            #expect(verified.headers[.init("X-Auth-Username")!] == "Carol", "the stored form of the name")
            #expect(verified.headers[.init("X-Auth-Roles")!] == "reader,writer")
            #expect(verified.headers[.init("X-Auth-Session")!] == first.headers[.init("X-Auth-Session")!])
            let me = try await client.send(.get, "/users/me", headers: bearer(access))
            #expect(me.string("username") == "Carol")
        }
        await test.shutdown()
    }

    @Test func reusingARotatedRefreshTokenRevokesTheSession() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            try await client.registerUser("victim")
            let first = try await client.login("victim")
            let stolen = try #require(first.string("refresh_token"))
            let rotated = try await client.refresh(stolen)
            let current = try #require(rotated.string("refresh_token"))
            let currentAccess = try #require(rotated.string("access_token"))

            let reuse = try await client.refresh(stolen)
            reuse.expectError("invalid_grant", .badRequest)
            // The whole session is dead: the legitimate holder's refresh and access tokens too.
            try await client.refresh(current).expectError("invalid_grant", .badRequest)
            try await client.send(.get, "/users/me", headers: bearer(currentAccess)).expectError("invalid_token", .unauthorized)
        }
        let types = try await test.node.store.events(after: nil, limit: 20).map(\.type)
        #expect(Array(types.suffix(2)) == [.refreshReuseDetected, .sessionRevoked])
        let revoked = try #require(try await test.node.store.events(before: nil, limit: 1).first?.decode(as: SessionRevoked.self))
        #expect(revoked.reason == .refreshReuse)
        await test.shutdown()
    }

    @Test func logoutAllKillsEverySessionAndPasswordChangeKeepsTheCallingOne() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            try await client.registerUser("multi")
            let a = try #require(try await client.login("multi").string("access_token"))
            let b = try #require(try await client.login("multi").string("access_token"))
            let c = try #require(try await client.login("multi").string("access_token"))

            let change = try await client.postJSON(
                "/users/me/password",
                #"{"current_password":"correct horse battery","new_password":"a brand new secret"}"#,
                headers: bearer(a)
            )
            #expect(change.status == .noContent, "\(change.body)")
            #expect(try await client.send(.get, "/users/me", headers: bearer(a)).status == .ok, "the calling session survives")
            #expect(try await client.send(.get, "/users/me", headers: bearer(b)).status == .unauthorized)
            #expect(try await client.send(.get, "/users/me", headers: bearer(c)).status == .unauthorized)
            try await client.login("multi").expectError("invalid_grant", .badRequest)

            let wrong = try await client.postJSON(
                "/users/me/password",
                #"{"current_password":"not the password","new_password":"another new secret"}"#,
                headers: bearer(a)
            )
            wrong.expectError("invalid_grant", .badRequest)

            let d = try #require(try await client.login("multi", password: "a brand new secret").string("access_token"))
            #expect(try await client.send(.post, "/logout/all", headers: bearer(d)).status == .noContent)
            #expect(try await client.send(.get, "/users/me", headers: bearer(a)).status == .unauthorized)
            #expect(try await client.send(.get, "/users/me", headers: bearer(d)).status == .unauthorized)
        }
        await test.shutdown()
    }

    @Test func theUnknownUserPathRunsTheHasher() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            let before = test.node.hasher.operationCount
            try await client.login("nobody-here", password: "whatever-password").expectError("invalid_grant", .badRequest)
            #expect(test.node.hasher.operationCount == before + 1)
            try await client.registerUser("somebody")
            let afterRegister = test.node.hasher.operationCount
            let wrong = try await client.login("somebody", password: "wrong-password")
            #expect(test.node.hasher.operationCount == afterRegister + 1, "a wrong password costs the same one verification")
            #expect(wrong.body.replacingOccurrences(of: "somebody", with: "") == wrong.body)
            #expect(wrong.string("error_description") == "invalid username or password")
        }
        await test.shutdown()
    }

    @Test func repeatedFailuresLockTheNameWithRetryAfterAlsoForUnknownNames() async throws {
        let test = try await TestNode.make { $0.lockout.threshold = 3 }
        try await test.app.test(.router) { client in
            try await client.registerUser("locked")
            for name in ["locked", "ghost"] {
                for _ in 0..<3 {
                    try await client.login(name, password: "bad-password").expectError("invalid_grant", .badRequest)
                }
                let refused = try await client.login(name, password: name == "locked" ? "correct horse battery" : "x-password")
                refused.expectError("too_many_requests", .tooManyRequests)
                let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
                #expect((1...30).contains(retryAfter))
            }
        }
        let lockouts = try await test.node.store.events(after: nil, limit: 100).filter { $0.type == .userLockedOut }
        #expect(lockouts.count == 2)
        let first = try #require(try lockouts.first?.decode(as: UserLockedOut.self))
        #expect(first.failures.count == 3, "the lockout cites the failures that caused it")
        #expect(first.userID != nil)
        #expect(try lockouts.last?.decode(as: UserLockedOut.self)?.userID == nil, "an unknown name has no user id")
        await test.shutdown()
    }

    @Test func aSuccessResetsTheFailureCount() async throws {
        let test = try await TestNode.make { $0.lockout.threshold = 3 }
        try await test.app.test(.router) { client in
            try await client.registerUser("forgetful")
            for _ in 0..<2 { _ = try await client.login("forgetful", password: "bad-password") }
            #expect(try await client.login("forgetful").status == .ok)
            for _ in 0..<2 { _ = try await client.login("forgetful", password: "bad-password") }
            #expect(try await client.login("forgetful").status == .ok, "2 + 2 failures with a success between never lock")
        }
        await test.shutdown()
    }

    @Test func theIPLimitStopsSprayingManyNames() async throws {
        let test = try await TestNode.make { $0.lockout.ipFailureLimit = 4 }
        // Live: the limit keys on the peer address, which only a real connection has.
        try await test.app.test(.live) { client in
            for index in 0..<4 {
                _ = try await client.login("spray\(index)", password: "bad-password")
            }
            try await client.login("spray-next", password: "bad-password").expectError("too_many_requests", .tooManyRequests)
        }
        await test.shutdown()
    }
}

@Suite(.redisServer) struct RefreshGraceTests {
    @Test func withinTheGraceARetriedRefreshGetsTheSameAnswer() async throws {
        let test = try await TestNode.make { $0.refreshReuseGrace = .seconds(30) }
        try await test.app.test(.router) { client in
            try await client.registerUser("flaky")
            let original = try #require(try await client.login("flaky").string("refresh_token"))
            let first = try await client.refresh(original)
            let retried = try await client.refresh(original)
            #expect(first.status == .ok)
            #expect(retried.status == .ok, "\(retried.body)")
            #expect(retried.string("refresh_token") == first.string("refresh_token"), "the same new refresh token")
            let access = try #require(retried.string("access_token"))
            #expect(try await client.send(.get, "/users/me", headers: bearer(access)).status == .ok)
            // The session lives on with the new token; no reuse was detected.
            let next = try await client.refresh(try #require(first.string("refresh_token")))
            #expect(next.status == .ok)
            // Two generations back is outside what the grace covers: reuse.
            try await client.refresh(original).expectError("invalid_grant", .badRequest)
        }
        let types = try await test.node.store.events(after: nil, limit: 20).map(\.type)
        #expect(types.filter { $0 == .tokenRefreshed }.count == 2)
        #expect(types.last == .sessionRevoked)
        await test.shutdown()
    }

    @Test func aGraceRetryAfterTheRotationsAccessTokenExpiredIsRefusedAndTheSessionLives() async throws {
        let test = try await TestNode.make {
            $0.refreshReuseGrace = .seconds(30)
            $0.accessTokenTTL = .seconds(1)
        }
        try await test.app.test(.router) { client in
            try await client.registerUser("late-retry")
            let first = try #require(try await client.login("late-retry").string("refresh_token"))
            let rotated = try await client.refresh(first)
            let current = try #require(rotated.string("refresh_token"))
            try await Task.sleep(for: .milliseconds(2100))
            // Within the grace, but the answer would carry an expired access token: refused.
            try await client.refresh(first).expectError("invalid_grant", .badRequest)
            // Not treated as reuse: the session and its current refresh token live on.
            #expect(try await client.refresh(current).status == .ok)
        }
        await test.shutdown()
    }

    @Test func theSealOpensOnlyWithThePresentedToken() {
        let sealed = RefreshGraceSeal.seal("new-token", with: "old-token")
        #expect(RefreshGraceSeal.open(sealed, with: "old-token") == "new-token")
        #expect(RefreshGraceSeal.open(sealed, with: "other-token") == nil)
        #expect(RefreshGraceSeal.open("garbage", with: "old-token") == nil)
    }
}
