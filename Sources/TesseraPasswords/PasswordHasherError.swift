/// A password could not be hashed or verified.
///
/// `overloaded` and `shutDown` come from ``PasswordHasher`` before any work is done; the
/// HTTP layer maps `overloaded` to 503 with `Retry-After`. Messages never hold passwords
/// or hashes.
public struct PasswordHasherError: Error, Sendable, CustomStringConvertible {
    /// An extensible error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// Every worker thread is busy and the queue is full; retry later.
        public static let overloaded = Code("overloaded")
        /// The hasher was shut down.
        public static let shutDown = Code("shut_down")
        /// The password cannot be hashed (it contains a NUL byte).
        public static let invalidPassword = Code("invalid_password")
        /// libxcrypt failed to make a salt or a hash.
        public static let hashingFailed = Code("hashing_failed")

        /// The code as a short snake_case string.
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// A human description, without secrets.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `"<code>: <message>"`.
    public var description: String { "\(code): \(message)" }

    static let overloaded = PasswordHasherError(.overloaded, "password hashing is at capacity")
    static let shutDown = PasswordHasherError(.shutDown, "password hasher has been shut down")
}
