/// A ``TesseraVerifier`` could not be made from its configuration.
public struct TesseraVerifierError: Error, Sendable, CustomStringConvertible {
    /// The kind of problem; extensible.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// A secret, URL or combination of settings that cannot work.
        public static let invalidConfiguration = Code(name: "invalid_configuration")

        /// The code as a short snake_case string.
        public var description: String { name }
    }

    /// The kind of problem.
    public let code: Code
    /// What is wrong, without secrets.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
