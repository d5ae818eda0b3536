import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraTestSupport
import Testing

@Suite(.redisServer) struct WellKnownTests {
    @Test func hs256ModePublishesAnEmptyKeySetAndTheMetadata() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            #expect(try await client.send(.get, "/.well-known/jwks.json").body == #"{"keys":[]}"#)
            let metadata = try await client.send(.get, "/.well-known/oauth-authorization-server")
            #expect(metadata.string("issuer") == "http://localhost:8080")
            #expect(metadata.string("token_endpoint") == "http://localhost:8080/token")
            #expect(metadata.string("jwks_uri") == "http://localhost:8080/.well-known/jwks.json")
            #expect(metadata.string("revocation_endpoint") == "http://localhost:8080/revoke")
            #expect(metadata.string("introspection_endpoint") == "http://localhost:8080/introspect")
            #expect(metadata.json["grant_types_supported"] as? [String] == ["password", "refresh_token"])
        }
        await test.shutdown()
    }

    @Test func edDSAModeSignsWithTheKeyItPublishes() async throws {
        let ed = try SigningKey.ed25519(privateKeySeed: Array(repeating: 3, count: 32))
        let old = try SigningKey.hs256(secret: TestNode.secret)
        let test = try await TestNode.make { $0.keys = KeySet([ed, old]) }
        try await test.app.test(.router) { client in
            let jwks = try await client.send(.get, "/.well-known/jwks.json")
            let keys = try #require(jwks.json["keys"] as? [[String: String]])
            #expect(keys.count == 1, "public keys only: the HS256 secret is never published")
            #expect(keys.first?["kid"] == ed.kid)
            #expect(keys.first?["alg"] == "EdDSA")
            #expect(keys.first?["use"] == "sig")
            #expect(keys.first?["d"] == nil)

            try await client.registerUser("edward")
            let access = try #require(try await client.login("edward").string("access_token"))
            let header = try #require(Base64URL.decode(access.split(separator: ".")[0]))
            let text = String(decoding: header, as: UTF8.self)
            #expect(text.contains(#""alg":"EdDSA""#))
            #expect(text.contains(#""kid":"\#(ed.kid)""#))
            #expect(text.contains(#""typ":"at+jwt""#))
            #expect(try await client.send(.get, "/users/me", headers: bearer(access)).status == .ok)
            // A token of the second (rotated-out HS256) key still verifies.
            let legacy = TokenSigner(keys: KeySet([old])).sign(
                AccessTokenClaims(
                    issuer: "http://localhost:8080",
                    subject: "nobody",
                    username: "x",
                    expiresAt: Int64.max / 2,
                    issuedAt: 0,
                    tokenID: "j",
                    sessionID: "s",
                    roles: [],
                    scope: ""
                )
            )
            let answer = try await client.send(.get, "/users/me", headers: bearer(legacy))
            #expect(answer.string("error_description") == "the user no longer exists", "signature and claims passed")
        }
        await test.shutdown()
    }
}
