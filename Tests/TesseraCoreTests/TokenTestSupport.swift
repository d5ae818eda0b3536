import Crypto
import TesseraCore

/// Keys, claims and a token crafter built on swift-crypto's own `HMAC`, independent of the
/// code under test.
enum TokenTestSupport {
    static let issuer = "https://auth.example.test"
    static let audience = "tessera-api"
    static let now: Int64 = 1_900_000_100
    static let hs256Secret = Array("0123456789abcdef0123456789abcdef".utf8)

    static func hs256Key(_ secret: [UInt8] = hs256Secret) -> SigningKey {
        try! SigningKey.hs256(secret: secret)
    }

    static func ed25519Key(seedByte: UInt8 = 7) -> SigningKey {
        try! SigningKey.ed25519(privateKeySeed: [UInt8](repeating: seedByte, count: 32))
    }

    static func claims(
        audience: String? = TokenTestSupport.audience,
        expiresAt: Int64 = now + 900,
        notBefore: Int64? = nil
    ) -> AccessTokenClaims {
        AccessTokenClaims(
            issuer: issuer,
            subject: "user-1",
            username: "alice",
            audience: audience,
            expiresAt: expiresAt,
            issuedAt: now,
            notBefore: notBefore,
            tokenID: "jti-1",
            sessionID: "sid-1",
            roles: ["admin", "user"],
            scope: "admin user"
        )
    }

    static func verifier(
        keys: [SigningKey],
        audience: String? = TokenTestSupport.audience,
        leeway: Int64 = 0,
        maxTokenBytes: Int = 8192
    ) -> TokenVerifier {
        TokenVerifier(keys: KeySet(keys), issuer: issuer, audience: audience, leeway: leeway, maxTokenBytes: maxTokenBytes)
    }

    /// A JWS over arbitrary header and payload JSON, MACed with swift-crypto's `HMAC<SHA256>`.
    static func craftHS256(header: String, payload: String, secret: [UInt8] = hs256Secret) -> String {
        craftHS256(header: Array(header.utf8), payload: Array(payload.utf8), secret: secret)
    }

    /// A JWS over arbitrary header and payload bytes (which need not be UTF-8).
    static func craftHS256(header: [UInt8], payload: [UInt8], secret: [UInt8] = hs256Secret) -> String {
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: secret))
        return signingInput + "." + Base64URL.encode(Array(mac))
    }

    /// The standard header for the test HS256 key.
    static var hs256Header: String {
        #"{"alg":"HS256","kid":"\#(hs256Key().kid)","typ":"at+jwt"}"#
    }

    /// A valid claim set as JSON, with `extra` spliced in before the closing brace.
    static func payloadJSON(extra: String = "") -> String {
        #"{"iss":"\#(issuer)","sub":"user-1","username":"alice","aud":"\#(audience)","exp":\#(now + 900),"iat":\#(now),"#
            + #""jti":"jti-1","sid":"sid-1","roles":["admin","user"],"scope":"admin user"\#(extra)}"#
    }

    /// Verifies and returns the rejection reason, or `nil` when the token is accepted.
    static func rejection(of token: String, by verifier: TokenVerifier, now: Int64 = now) -> TokenRejection.Reason? {
        do {
            _ = try verifier.verify(token, now: now)
            return nil
        } catch {
            return error.reason
        }
    }
}

/// A small deterministic generator (SplitMix64) so fuzz failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
