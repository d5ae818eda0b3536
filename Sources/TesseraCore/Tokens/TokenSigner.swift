import Crypto
import Foundation

/// Signs access tokens as JWS compact serializations with the key set's signing key.
///
/// The header is `{"alg":…,"kid":…,"typ":"at+jwt"}`; the payload's members come in a
/// fixed order, so equal claims always give byte-identical tokens for HS256.
public struct TokenSigner: Sendable {
    private let key: SigningKey
    /// `base64url(header) + "."`, the same for every token.
    private let encodedHeaderAndDot: [UInt8]

    /// Creates a signer that signs with `keys.signingKey`, which must be able to sign
    /// (not a public key from a JWKS: that traps).
    public init(keys: KeySet) {
        precondition(keys.signingKey.canSign, "a public key from a JWKS cannot sign")
        key = keys.signingKey
        encodedHeaderAndDot = Self.encodedHeader(for: key) + [UInt8(ascii: ".")]
    }

    /// `base64url({"alg":…,"kid":…,"typ":"at+jwt"})`: the header segment of every token
    /// `key` signs.
    static func encodedHeader(for key: SigningKey) -> [UInt8] {
        var header = JSONObjectWriter(capacity: 64)
        header.add("alg", key.algorithm.rawValue)
        header.add("kid", key.kid)
        header.add("typ", "at+jwt")
        return Array(Base64URL.encode(header.finish()).utf8)
    }

    /// The `kid` of the key tokens are signed with.
    public var kid: String { key.kid }

    /// Signs `claims` into a compact JWS. Never fails.
    ///
    /// `aud` and `nbf` are written only when set.
    public func sign(_ claims: AccessTokenClaims) -> String {
        var signingInput = encodedHeaderAndDot
        signingInput.append(contentsOf: Base64URL.encode(Self.payload(of: claims)).utf8)
        let signature: [UInt8]
        switch key.material {
        case .hs256(let hmac):
            signature = signingInput.withUnsafeBytes { Array(hmac.authenticationCode(for: $0)) }
        case .ed25519(let privateKey, _):
            do {
                signature = Array(try privateKey.signature(for: signingInput))
            } catch {
                // BoringSSL's Ed25519 signing has no failure path for a valid key.
                fatalError("Ed25519 signing failed: \(error)")
            }
        case .ed25519PublicKey:
            preconditionFailure("init(keys:) admits no key that cannot sign")
        }
        var token = String(decoding: signingInput, as: UTF8.self)
        token.append(".")
        token.append(Base64URL.encode(signature))
        return token
    }

    static func payload(of claims: AccessTokenClaims) -> [UInt8] {
        var payload = JSONObjectWriter(capacity: 320)
        payload.add("iss", claims.issuer)
        payload.add("sub", claims.subject)
        payload.add("username", claims.username)
        if let audience = claims.audience {
            payload.add("aud", audience)
        }
        payload.add("exp", claims.expiresAt)
        payload.add("iat", claims.issuedAt)
        if let notBefore = claims.notBefore {
            payload.add("nbf", notBefore)
        }
        payload.add("jti", claims.tokenID)
        payload.add("sid", claims.sessionID)
        payload.add("roles", claims.roles)
        payload.add("scope", claims.scope)
        return payload.finish()
    }
}
