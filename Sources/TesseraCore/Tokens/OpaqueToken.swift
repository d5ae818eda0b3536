import Crypto

/// Opaque random tokens and ids, and the hash refresh tokens are stored as.
public enum OpaqueToken {
    /// A new refresh token: 32 bytes from the system CSPRNG as base64url (43 characters).
    ///
    /// Store only ``sha256Hex(_:)`` of it, never the token.
    public static func makeRefreshToken() -> String {
        Base64URL.encode(randomBytes(count: 32))
    }

    /// A new random id (16 bytes from the system CSPRNG as base64url, 22 characters), for
    /// `jti`, `sid` and user ids.
    public static func makeID() -> String {
        Base64URL.encode(randomBytes(count: 16))
    }

    /// The lowercase hex SHA-256 of the string's UTF-8 bytes (64 characters).
    public static func sha256Hex(_ string: some StringProtocol) -> String {
        let digest = SHA256.hash(data: Array(string.utf8))
        let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: SHA256.byteCount * 2) { output in
            for (index, byte) in digest.enumerated() {
                output[index * 2] = hexDigits[Int(byte >> 4)]
                output[index * 2 + 1] = hexDigits[Int(byte & 0x0F)]
            }
            return SHA256.byteCount * 2
        }
    }

    /// `SystemRandomNumberGenerator` reads the OS CSPRNG (`getrandom` on Linux), one call
    /// per 8 bytes (a call per byte made a login cost 48 system calls).
    private static func randomBytes(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 7)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}
