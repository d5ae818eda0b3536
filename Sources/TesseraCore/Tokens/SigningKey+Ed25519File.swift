import Crypto
import Foundation

extension SigningKey {
    /// The DER of a PKCS#8 Ed25519 private key, up to (excluding) the 32-byte seed:
    /// `SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }`.
    private static let pkcs8Prefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]
    private static let pemHeader = "-----BEGIN PRIVATE KEY-----"
    private static let pemFooter = "-----END PRIVATE KEY-----"

    /// Loads an Ed25519 key from a key file's bytes: a raw 32-byte seed, or a PKCS#8 PEM
    /// (`-----BEGIN PRIVATE KEY-----`, as `openssl genpkey -algorithm ed25519` writes).
    ///
    /// The PEM's DER is parsed minimally: it must be an unencrypted Ed25519 PKCS#8
    /// structure, and the seed is the last 32 bytes of its inner OCTET STRING.
    /// - Throws: ``KeyError`` with code `invalidKeyFile` for anything else.
    public static func loadEd25519(fileContents: [UInt8]) throws(KeyError) -> SigningKey {
        if fileContents.count == 32 {
            return try ed25519(privateKeySeed: fileContents)
        }
        guard let der = pemBody(fileContents), let seed = seed(fromPKCS8: der) else {
            throw KeyError(
                .invalidKeyFile,
                "Ed25519 key file must be a raw 32-byte seed or a PKCS#8 PEM (BEGIN PRIVATE KEY) Ed25519 key"
            )
        }
        return try ed25519(privateKeySeed: seed)
    }

    /// Generates a new Ed25519 key from the system CSPRNG, with its PKCS#8 PEM so that a
    /// development key file can be written. The PEM is secret: write it with mode 0600.
    public static func generateEd25519() -> (key: SigningKey, pem: String) {
        let privateKey = Curve25519.Signing.PrivateKey()
        let der = pkcs8Prefix + Array(privateKey.rawRepresentation)
        let pem = "\(pemHeader)\n\(Data(der).base64EncodedString())\n\(pemFooter)\n"
        return (SigningKey(ed25519: privateKey), pem)
    }

    /// The DER inside the PEM's PRIVATE KEY block, or `nil`.
    private static func pemBody(_ contents: [UInt8]) -> [UInt8]? {
        guard let text = String(validating: contents, as: UTF8.self),
            let start = text.range(of: pemHeader),
            let end = text.range(of: pemFooter, range: start.upperBound..<text.endIndex)
        else { return nil }
        let body = text[start.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        return Data(base64Encoded: body).map { Array($0) }
    }

    /// The 32-byte seed of an Ed25519 PKCS#8 v1 or v2 structure, or `nil`.
    private static func seed(fromPKCS8 der: [UInt8]) -> [UInt8]? {
        // v1 keys are exactly the prefix plus the seed; v2 keys (RFC 8410) may append the
        // public key after it, so check the algorithm and the inner OCTET STRING only.
        let algorithmAndSeedHeader = pkcs8Prefix[5...]
        guard der.count >= pkcs8Prefix.count + 32, der[0] == 0x30, der[2] == 0x02, der[3] == 0x01, der[4] <= 0x01,
            Array(der[5..<pkcs8Prefix.count]) == Array(algorithmAndSeedHeader)
        else { return nil }
        return Array(der[pkcs8Prefix.count..<pkcs8Prefix.count + 32])
    }
}
