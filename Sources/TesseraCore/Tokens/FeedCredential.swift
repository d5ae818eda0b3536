/// The credential an API node presents to read a Tessera node's revocation feed: `ID.SECRET`.
///
/// The id is public (it names the credential in the log and on the command line); the secret
/// is 256 random bits and is stored only as its SHA-256, like a refresh token.
public struct FeedCredential: Sendable, Hashable {
    /// The public id (22 characters of base64url).
    public let id: String
    /// The secret (43 characters of base64url).
    public let secret: String

    /// A new credential from the system CSPRNG.
    public static func make() -> FeedCredential {
        FeedCredential(id: OpaqueToken.makeID(), secret: OpaqueToken.makeRefreshToken())
    }

    private init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    /// Parses `ID.SECRET`; nil for anything else (no dot, an empty part, over 256 bytes).
    ///
    /// Split by bytes: by Characters, a dot followed by a combining mark is no dot, so
    /// `ID.SECRET.\u{301}X` would parse, with a dot in its secret.
    public init?(_ text: some StringProtocol) {
        let utf8 = text.utf8
        let dot = UInt8(ascii: ".")
        guard utf8.count <= 256, let first = utf8.firstIndex(of: dot) else { return nil }
        let id = utf8[..<first]
        let secret = utf8[utf8.index(after: first)...]
        guard !id.isEmpty, !secret.isEmpty, !secret.contains(dot) else { return nil }
        self.init(id: String(decoding: id, as: UTF8.self), secret: String(decoding: secret, as: UTF8.self))
    }

    /// The text an operator hands to the API node: `ID.SECRET`.
    public var text: String { id + "." + secret }

    /// Lowercase hex SHA-256 of the secret: what the log and Redis hold.
    public var secretHash: String { OpaqueToken.sha256Hex(secret) }

    /// Whether `storedHash` is this credential's secret hash, compared in constant time.
    public func matches(storedHash: String) -> Bool {
        ConstantTime.equals(secretHash.utf8, storedHash.utf8)
    }
}
