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

@Suite(.redisServer) struct BadInputTests {
    static let now = Int64(Date().timeIntervalSince1970)

    /// Claims that name `subject`, a real user's id (the tests register one), so that a token
    /// is refused for what is wrong with it and not because its `sub` names nobody.
    static func claims(subject: String, _ adjust: (inout AccessTokenClaims) -> Void = { _ in }) -> AccessTokenClaims {
        var claims = AccessTokenClaims(
            issuer: "http://localhost:8080",
            subject: subject,
            username: "someone",
            expiresAt: now + 600,
            issuedAt: now,
            tokenID: "j1",
            sessionID: "s1",
            roles: [],
            scope: ""
        )
        adjust(&claims)
        return claims
    }

    static func sign(_ claims: AccessTokenClaims, with key: SigningKey? = nil) throws -> String {
        TokenSigner(keys: KeySet([try key ?? SigningKey.hs256(secret: TestNode.secret)])).sign(claims)
    }

    /// Tokens that must be refused, each otherwise naming `subject` (a real user) or, for the
    /// tampered payload, `victim` (another real user) — so that every one would pass if the
    /// check it targets were missing.
    static func badTokens(subject: String, victim: String) throws -> [(String, String)] {
        let claims = { (adjust: (inout AccessTokenClaims) -> Void) in Self.claims(subject: subject, adjust) }
        let good = try sign(claims { _ in })
        let parts = good.split(separator: ".").map(String.init)
        let noneHeader = Base64URL.encode(Array(#"{"alg":"none","typ":"at+jwt"}"#.utf8))
        var tamperedPayload = Array(Base64URL.decode(parts[1])!)
        let text = String(decoding: tamperedPayload, as: UTF8.self)
            .replacingOccurrences(of: "\"sub\":\"\(subject)\"", with: "\"sub\":\"\(victim)\"")
        #expect(text.contains(victim))
        tamperedPayload = Array(text.utf8)
        // The signature is 32 bytes: 43 base64url characters, the last carrying 2 unused bits.
        let signature = parts[2]
        let last = signature.last!
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let nonCanonical = String(signature.dropLast()) + String(alphabet[alphabet.firstIndex(of: last)! ^ 1])
        return [
            ("alg none", "\(noneHeader).\(parts[1])."),
            ("wrong key", try sign(claims { _ in }, with: SigningKey.hs256(secret: Array("another-secret-of-32-bytes-or-more!!".utf8)))),
            ("EdDSA key unknown here", try sign(claims { _ in }, with: SigningKey.ed25519(privateKeySeed: Array(repeating: 9, count: 32)))),
            ("tampered payload", "\(parts[0]).\(Base64URL.encode(tamperedPayload)).\(parts[2])"),
            ("expired", try sign(claims { $0.expiresAt = now - 10 })),
            ("not yet valid", try sign(claims { $0.notBefore = now + 600 })),
            ("wrong issuer", try sign(claims { $0.issuer = "https://evil.example" })),
            ("non-canonical base64url", "\(parts[0]).\(parts[1]).\(nonCanonical)"),
            ("oversized", "\(parts[0]).\(String(repeating: "A", count: 9000)).\(parts[2])"),
            ("two segments", "\(parts[0]).\(parts[1])"),
            ("garbage", "not-a-token"),
        ]
    }

    @Test func badTokensGet401InvalidToken() async throws {
        let test = try await TestNode.make()
        let user = try await test.node.accounts.register(username: "tokenowner", password: Array("owner password".utf8), email: nil, roles: [])
        let victim = try await test.node.accounts.register(username: "victim", password: Array("victim password".utf8), email: nil, roles: [])
        try await test.app.test(.router) { client in
            // The control: the same claims, correctly signed, are accepted and name the real user,
            // so each refusal below is the token's fault and nothing else's.
            let control = try await client.send(.get, "/users/me", headers: bearer(try Self.sign(Self.claims(subject: user.id))))
            #expect(control.status == .ok, "body: \(control.body)")
            #expect(control.string("username") == "tokenowner")
            for (label, token) in try Self.badTokens(subject: user.id, victim: victim.id) {
                let answer = try await client.send(.get, "/users/me", headers: bearer(token))
                answer.expectError("invalid_token", .unauthorized)
                #expect(answer.headers[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true, "\(label)")
                #expect(answer.string("error_description") != "the user no longer exists", "\(label)")
            }
        }
        await test.shutdown()
    }

    @Test func aWrongAudienceIsRejectedWhenAnAudienceIsConfigured() async throws {
        let test = try await TestNode.make { $0.audience = "orders-api" }
        let user = try await test.node.accounts.register(username: "audience", password: Array("audience password".utf8), email: nil, roles: [])
        try await test.app.test(.router) { client in
            let right = try Self.sign(Self.claims(subject: user.id) { $0.audience = "orders-api" })
            #expect(try await client.send(.get, "/users/me", headers: bearer(right)).status == .ok)
            let wrong = try Self.sign(Self.claims(subject: user.id) { $0.audience = "billing-api" })
            let refused = try await client.send(.get, "/users/me", headers: bearer(wrong))
            refused.expectError("invalid_token", .unauthorized)
            #expect(refused.string("error_description") == "token audience not accepted")
            let missing = try Self.sign(Self.claims(subject: user.id))
            let refusedMissing = try await client.send(.get, "/users/me", headers: bearer(missing))
            refusedMissing.expectError("invalid_token", .unauthorized)
            #expect(refusedMissing.string("error_description") == "token audience not accepted")
        }
        await test.shutdown()
    }

    @Test func noCredentialsGetTheBareChallenge() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            for headers: HTTPFields in [[:], [.authorization: "Basic YWxpY2U6c2VjcmV0"], [.authorization: "Bearer "], [.authorization: "Bearer"]] {
                let answer = try await client.send(.get, "/users/me", headers: headers)
                answer.expectError("invalid_token", .unauthorized)
                #expect(answer.headers[.wwwAuthenticate] == #"Bearer realm="tessera""#)
                #expect(answer.string("error_description") == "missing bearer token")
            }
            let huge = try await client.send(.get, "/users/me", headers: [.authorization: "Bearer " + String(repeating: "a", count: 9000)])
            #expect(huge.status == .unauthorized || huge.status == .init(code: 431))
        }
        await test.shutdown()
    }

    @Test func everyErrorHasTheAPIShape() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            try await client.postForm("/token", [("grant_type", "client_credentials")]).expectError("unsupported_grant_type", .badRequest)
            try await client.postForm("/token", [("grant_type", "password"), ("username", "x")]).expectError("invalid_request", .badRequest)
            try await client.postForm("/token", [("grant_type", "refresh_token")]).expectError("invalid_request", .badRequest)
            try await client.send(.post, "/token", headers: [.contentType: "application/x-www-form-urlencoded"], body: "username=a&username=b")
                .expectError("invalid_request", .badRequest)
            try await client.send(.post, "/token", headers: [.contentType: "application/x-www-form-urlencoded"], body: "password=%zz")
                .expectError("invalid_request", .badRequest)
            try await client.send(.post, "/token", headers: [.contentType: "text/plain"], body: "hello").expectError("invalid_request", .badRequest)
            try await client.postJSON("/token", "[1,2]").expectError("invalid_request", .badRequest)
            try await client.refresh("never-issued").expectError("invalid_grant", .badRequest)
            try await client.postJSON("/users", "{not json").expectError("invalid_request", .badRequest)
            try await client.postJSON("/users", #"{"username":"bad name!","password":"long enough"}"#).expectError("invalid_request", .badRequest)
            try await client.postJSON("/users", #"{"username":"shortpw","password":"short"}"#).expectError("invalid_request", .badRequest)
            try await client.postJSON("/users", #"{"username":"mail","password":"long enough","email":"no-at-sign"}"#)
                .expectError("invalid_request", .badRequest)
            let tooLong = String(repeating: "p", count: 1025)
            try await client.postJSON("/users", #"{"username":"longpw","password":"\#(tooLong)"}"#).expectError("invalid_request", .badRequest)
            try await client.send(
                .post,
                "/token",
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: String(repeating: "a", count: 70_000)
            )
            .expectError("payload_too_large", .contentTooLarge)
            try await client.send(.delete, "/token").expectError("not_found", .notFound)
        }
        // None of that wrote an event.
        #expect(try await test.node.store.events(after: nil, limit: 10).filter { $0.type != .loginFailed }.isEmpty)
        await test.shutdown()
    }

    @Test func eventCursorsWithNothingBeyondThemAreBadRequests() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            let admin = try await test.adminToken(client: client)
            for uri in ["/admin/users/root/events?before=0-0", "/admin/events?after=18446744073709551615-18446744073709551615"] {
                // Redis refuses these as exclusive range ends: once a 503 "store unavailable".
                try await client.send(.get, uri, headers: bearer(admin)).expectError("invalid_request", .badRequest)
            }
            #expect(try await client.send(.get, "/admin/events?after=0-0", headers: bearer(admin)).status == .ok)
            #expect(try await client.send(.get, "/admin/users/root/events?before=18446744073709551615-0", headers: bearer(admin)).status == .ok)
        }
        await test.shutdown()
    }

    @Test func registrationRulesHold() async throws {
        let closed = try await TestNode.make { $0.isRegistrationOpen = false }
        try await closed.app.test(.router) { client in
            try await client.registerUser("nobody").expectError("forbidden", .forbidden)
        }
        await closed.shutdown()

        let open = try await TestNode.make()
        try await open.app.test(.router) { client in
            #expect(try await client.registerUser("Taken").status == .created)
            try await client.registerUser("tAKEN").expectError("conflict", .conflict)
            let json = try await client.login("taken")
            #expect(json.status == .ok)
            let viaJSON = try await client.postJSON("/token", #"{"grant_type":"password","username":"TAKEN","password":"correct horse battery"}"#)
            #expect(viaJSON.status == .ok, "/token also takes JSON")
        }
        await open.shutdown()
    }

    @Test func concurrentRegistrationsOfOneNameHaveOneWinner() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.live) { client in
            // A connection each: one live connection would be served one request at a time.
            let answers = try await onSeparateConnections(8, of: client) { index, connection in
                let name = index % 2 == 0 ? "Twin" : "twin"
                return try await connection.postJSON("/users", #"{"username":"\#(name)","password":"correct horse battery"}"#)
            }
            #expect(answers.filter { $0.status == .created }.count == 1, "\(answers.map(\.status))")
            #expect(answers.filter { $0.status == .conflict }.count == 7)
        }
        let registrations = try await test.node.store.events(after: nil, limit: 100).filter { $0.type == .userRegistered }
        #expect(registrations.count == 1)
        await test.shutdown()
    }
}
