import Crypto
import Foundation

/// A key that signs and verifies access tokens, named by its `kid`.
///
/// Make one with ``hs256(secret:)``, ``ed25519(privateKeySeed:)``,
/// ``loadEd25519(fileContents:)`` or ``generateEd25519()``. The `kid` is derived from the
/// key itself, so every node given the same key material names it the same way.
public struct SigningKey: Sendable {
    enum Material: Sendable {
        case hs256(HMACSHA256Key)
        case ed25519(Curve25519.Signing.PrivateKey, Curve25519.Signing.PublicKey)
        /// A public key only (from a JWKS): it verifies, it never signs.
        case ed25519PublicKey(Curve25519.Signing.PublicKey)
    }

    /// The key id carried in the `kid` header of every token this key signs.
    public let kid: String
    /// The only algorithm this key signs and verifies with.
    public let algorithm: JWTAlgorithm
    let material: Material
    /// `kid` as UTF-8, compared against header bytes without making a `String`.
    let kidBytes: [UInt8]

    private init(kid: String, algorithm: JWTAlgorithm, material: Material) {
        self.kid = kid
        self.algorithm = algorithm
        self.material = material
        self.kidBytes = Array(kid.utf8)
    }

    /// An HS256 key over a shared secret of at least 32 bytes.
    ///
    /// The `kid` is the base64url of the first 8 bytes of SHA-256 of the secret.
    /// - Throws: ``KeyError`` with code `secretTooShort` when the secret is under 32 bytes.
    public static func hs256(secret: [UInt8]) throws(KeyError) -> SigningKey {
        guard secret.count >= 32 else {
            throw KeyError(.secretTooShort, "HS256 secret must be at least 32 bytes (got \(secret.count))")
        }
        return SigningKey(kid: makeKID(for: secret), algorithm: .hs256, material: .hs256(HMACSHA256Key(secret: secret)))
    }

    /// An Ed25519 key from its 32-byte private seed.
    ///
    /// The `kid` is the base64url of the first 8 bytes of SHA-256 of the 32-byte public key.
    /// - Throws: ``KeyError`` with code `invalidSeed` when the seed is not 32 bytes.
    public static func ed25519(privateKeySeed: [UInt8]) throws(KeyError) -> SigningKey {
        guard privateKeySeed.count == 32,
            let privateKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: privateKeySeed)
        else {
            throw KeyError(.invalidSeed, "Ed25519 private key seed must be 32 bytes (got \(privateKeySeed.count))")
        }
        return SigningKey(ed25519: privateKey)
    }

    init(ed25519 privateKey: Curve25519.Signing.PrivateKey) {
        let publicKey = privateKey.publicKey
        let kid = Self.makeKID(for: Array(publicKey.rawRepresentation))
        self.init(kid: kid, algorithm: .eddsa, material: .ed25519(privateKey, publicKey))
    }

    /// An Ed25519 key that only verifies: the public key of a JWK (RFC 8037 `x`, 32 bytes) and its `kid`.
    ///
    /// An API node makes these from a Tessera node's `/.well-known/jwks.json`; a ``TokenSigner``
    /// must never be given one.
    /// - Throws: ``KeyError`` with code `invalidPublicKey` when `x` is not 32 bytes of base64url.
    public static func ed25519(publicKeyX x: String, kid: String) throws(KeyError) -> SigningKey {
        guard let bytes = Base64URL.decode(x), bytes.count == 32,
            let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)
        else {
            throw KeyError(.invalidPublicKey, "an Ed25519 public key must be 32 bytes of base64url")
        }
        return SigningKey(kid: kid, algorithm: .eddsa, material: .ed25519PublicKey(publicKey))
    }

    /// Whether this key can sign (every key but a public key from a JWKS).
    public var canSign: Bool {
        if case .ed25519PublicKey = material { return false }
        return true
    }

    /// The public half as a JWK (RFC 8037) for the JWKS, or `nil` for an HS256 key.
    public var publicJWK: [String: String]? {
        let publicKey: Curve25519.Signing.PublicKey
        switch material {
        case .hs256: return nil
        case .ed25519(_, let key), .ed25519PublicKey(let key): publicKey = key
        }
        return [
            "kty": "OKP",
            "crv": "Ed25519",
            "alg": JWTAlgorithm.eddsa.rawValue,
            "use": "sig",
            "kid": kid,
            "x": Base64URL.encode(publicKey.rawRepresentation),
        ]
    }

    private static func makeKID(for bytes: [UInt8]) -> String {
        Base64URL.encode(SHA256.hash(data: bytes).prefix(8))
    }
}
