import TesseraCore
import Testing

/// Known-answer tests against tokens made by an independent implementation (PyJWT 2.15 with
/// `cryptography`), with `ensure_ascii` escapes (`\u00eb`, surrogate pairs), an `aud` array,
/// sorted header keys and a nested unknown claim.
@Suite("Interoperability with PyJWT")
struct InteropTests {
    static let secret = Array("interop-secret-0123456789abcdefghijklmnop".utf8)
    static let now: Int64 = 1_900_000_100
    static let hs256Token =
        "eyJhbGciOiJIUzI1NiIsImtpZCI6InhfYy05eXd3dklNIiwidHlwIjoiYXQrand0In0."
        + "eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS50ZXN0Iiwic3ViIjoidXNlci0xMjMiLCJ1c2VybmFtZSI6InpvXHUwMGViIiwiYXVkIjpbInRlc3NlcmEtYXBpIiwib3RoZXIiXSwiZXhwIjoxOTAwMDAwOTAwLCJpYXQiOjE5MDAwMDAwMDAsIm5iZiI6MTkwMDAwMDAwMCwianRpIjoianRpLTEiLCJzaWQiOiJzaWQtMSIsInJvbGVzIjpbImFkbWluIiwiXHVkODNkXHVkZDExIl0sInNjb3BlIjoiYWRtaW4gXHVkODNkXHVkZDExIiwiZXh0cmEiOnsibmVzdGVkIjpbMSwyLjUsbnVsbCx0cnVlLHsiYSI6ImIifV19fQ."
        + "X4gSSkqRfKfISfv2h1ZF0Pieswnc7Jwkj0HH0VEFwgc"
    static let eddsaToken =
        "eyJhbGciOiJFZERTQSIsImtpZCI6IlpiWUdjOWJ0aUVzIiwidHlwIjoiYXQrand0In0."
        + "eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS50ZXN0Iiwic3ViIjoidXNlci0xMjMiLCJ1c2VybmFtZSI6InpvXHUwMGViIiwiYXVkIjpbInRlc3NlcmEtYXBpIiwib3RoZXIiXSwiZXhwIjoxOTAwMDAwOTAwLCJpYXQiOjE5MDAwMDAwMDAsIm5iZiI6MTkwMDAwMDAwMCwianRpIjoianRpLTEiLCJzaWQiOiJzaWQtMSIsInJvbGVzIjpbImFkbWluIiwiXHVkODNkXHVkZDExIl0sInNjb3BlIjoiYWRtaW4gXHVkODNkXHVkZDExIiwiZXh0cmEiOnsibmVzdGVkIjpbMSwyLjUsbnVsbCx0cnVlLHsiYSI6ImIifV19fQ."
        + "N3H7W1nDiPnPUrvSOPPcmAXn37JPYfx3HYwgr_CAeAUZl3U4PJYJ9zfmnVfCrfE0PScDpZ4Ozr9XIUUD2lZ1Ag"

    static let expected = AccessTokenClaims(
        issuer: "https://auth.example.test",
        subject: "user-123",
        username: "zoë",
        audience: "tessera-api",
        expiresAt: 1_900_000_900,
        issuedAt: 1_900_000_000,
        notBefore: 1_900_000_000,
        tokenID: "jti-1",
        sessionID: "sid-1",
        roles: ["admin", "🔑"],
        scope: "admin 🔑"
    )

    func verifier(_ key: SigningKey) -> TokenVerifier {
        TokenVerifier(keys: KeySet([key]), issuer: "https://auth.example.test", audience: "tessera-api")
    }

    @Test func acceptsAPyJWTHS256Token() throws {
        let key = try SigningKey.hs256(secret: Self.secret)
        #expect(key.kid == "x_c-9ywwvIM")
        #expect(try verifier(key).verify(Self.hs256Token, now: Self.now) == Self.expected)
    }

    @Test func acceptsAPyJWTEdDSAToken() throws {
        let key = try SigningKey.ed25519(privateKeySeed: Array(1...32))
        #expect(key.kid == "ZbYGc9btiEs")
        #expect(try verifier(key).verify(Self.eddsaToken, now: Self.now) == Self.expected)
    }

    @Test func pyJWTTokensExpireAtTheirExp() throws {
        let key = try SigningKey.hs256(secret: Self.secret)
        #expect(throws: TokenRejection.self) { try verifier(key).verify(Self.hs256Token, now: 1_900_000_900) }
    }
}
