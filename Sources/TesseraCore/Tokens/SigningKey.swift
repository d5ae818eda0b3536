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

    /// The public half as a JWK (RFC 8037) for the JWKS, or `nil` for an HS256 key.
    public var publicJWK: [String: String]? {
        guard case .ed25519(_, let publicKey) = material else { return nil }
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
