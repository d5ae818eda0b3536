/// A signing key could not be made from the material given.
///
/// The message names the problem (a length, a format), never the key bytes, so it can
/// go to a log or a startup error line as is.
public struct KeyError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem the key material had; extensible.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// An HS256 secret shorter than 32 bytes.
        public static let secretTooShort = Code(name: "secret_too_short")
        /// An Ed25519 seed that is not 32 bytes.
        public static let invalidSeed = Code(name: "invalid_seed")
        /// A key file that is neither a raw 32-byte seed nor an Ed25519 PKCS#8 PEM.
        public static let invalidKeyFile = Code(name: "invalid_key_file")
        /// An Ed25519 public key (a JWK's `x`) that is not 32 bytes of base64url.
        public static let invalidPublicKey = Code(name: "invalid_public_key")

        /// The code as a short snake_case string.
        public var description: String { name }
    }

    /// The kind of problem.
    public let code: Code
    /// What was wrong with the key material, fit for a log line or a startup error.
    public let message: String

    /// Creates an error; `message` must not contain key material.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
