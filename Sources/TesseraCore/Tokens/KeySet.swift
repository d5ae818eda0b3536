/// The keys a deployment signs and verifies with: the first signs, all verify.
///
/// Rotation is adding a new key in front and keeping the old one until every token it
/// signed has expired. Lookup by `kid` scans the keys, which is cheapest for the handful
/// a deployment has (O(n) in the number of keys).
public struct KeySet: Sendable {
    /// All keys, the signing key first.
    public let keys: [SigningKey]

    /// Creates a key set; `keys` must not be empty and its first key signs.
    public init(_ keys: [SigningKey]) {
        precondition(!keys.isEmpty, "a KeySet needs at least one key")
        self.keys = keys
    }

    /// The key new tokens are signed with.
    public var signingKey: SigningKey { keys[0] }

    /// The public keys as JWKs, for `/.well-known/jwks.json`; empty when every key is HS256.
    public var jwks: [[String: String]] {
        keys.compactMap(\.publicJWK)
    }

    /// The key named `kid`, or `nil` when no key has that id.
    public func key(withID kid: String) -> SigningKey? {
        keys.first { $0.kid == kid }
    }

    /// The key whose `kid` is exactly these UTF-8 bytes.
    func key(withIDBytes kid: UnsafeBufferPointer<UInt8>) -> SigningKey? {
        keys.first { key in key.kidBytes.withUnsafeBufferPointer { $0.hasSameBytes(as: kid) } }
    }
}
