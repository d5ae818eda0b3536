import TesseraCore

/// Why ``TesseraVerifier`` gave no claims for a token.
///
/// Map ``Code-swift.struct/stale`` to 503 with `Retry-After`, the others to 401
/// `invalid_token`; the HTTP middleware does exactly that.
public struct VerificationFailure: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; extensible.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// The revocation view is staler than the lag bound, or no key is loaded yet: the
        /// verifier fails closed and never says "valid".
        public static let stale = Code(name: "stale")
        /// The token does not verify: shape, signature, key, expiry, issuer, audience or type.
        public static let invalidToken = Code(name: "invalid_token")
        /// The token verifies but was revoked: its session, itself, or every token of its user.
        public static let revoked = Code(name: "revoked")

        /// The code as a short snake_case string.
        public var description: String { name }
    }

    /// The kind of failure.
    public let code: Code
    /// Why, in a phrase fit for a client (`token expired`, `session_revoked`).
    public let reason: String
    /// For `.invalidToken`, what the token verifier rejected.
    let rejection: TokenRejection.Reason?

    /// Creates a failure.
    public init(_ code: Code, _ reason: String) {
        self.init(code, reason, rejection: nil)
    }

    init(_ code: Code, _ reason: String, rejection: TokenRejection.Reason?) {
        self.code = code
        self.reason = reason
        self.rejection = rejection
    }

    public var description: String { "\(code): \(reason)" }
}
