/// Why an account operation was refused, with a message safe to show the client or operator.
public struct AccountError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Input breaks API.md's rules (username, password, email, roles).
        public static let invalidInput = Code("invalidInput")
        /// The username is taken (case-insensitively).
        public static let usernameTaken = Code("usernameTaken")
        /// An imported hash is of a kind libxcrypt cannot verify.
        public static let unsupportedHash = Code("unsupportedHash")
        /// The password hasher's queue is full; try again shortly.
        public static let overloaded = Code("overloaded")
        /// Redis failed; see the log.
        public static let storeFailure = Code("storeFailure")
    }

    public var code: Code
    /// A sentence for the client or the operator; never holds a password or a hash.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
