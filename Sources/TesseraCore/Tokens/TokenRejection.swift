/// Why an access token was not accepted.
///
/// `reason` is stable and short, for metrics labels and branching; `message` is a
/// human sentence safe to return to the client (it never holds token contents or
/// key details).
public struct TokenRejection: Error, Sendable, CustomStringConvertible {
    /// An extensible rejection code; its description is a snake_case metrics label.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        private let label: String

        /// Creates a reason with a snake_case label.
        public init(_ label: String) {
            self.label = label
        }

        /// Not a well-formed JWS, header or claim set (including duplicate members and
        /// wrong JSON types) or an unsupported `crit` header.
        public static let malformed = Reason("malformed")
        /// Longer than the verifier's `maxTokenBytes`.
        public static let tooLarge = Reason("too_large")
        /// `alg` is `none`, unknown, or not the algorithm of the key named by `kid`.
        public static let unsupportedAlgorithm = Reason("unsupported_algorithm")
        /// `kid` names no configured key (or is missing while several keys are configured).
        public static let unknownKey = Reason("unknown_key")
        /// The signature does not verify.
        public static let badSignature = Reason("bad_signature")
        /// `exp` has passed.
        public static let expired = Reason("expired")
        /// `nbf` is in the future.
        public static let notYetValid = Reason("not_yet_valid")
        /// `iss` is not the configured issuer.
        public static let wrongIssuer = Reason("wrong_issuer")
        /// `aud` does not contain the configured audience.
        public static let wrongAudience = Reason("wrong_audience")
        /// `typ` is missing or is not `at+jwt` / `application/at+jwt`.
        public static let wrongType = Reason("wrong_type")

        /// The snake_case label, e.g. `bad_signature`.
        public var description: String { label }
    }

    /// The rejection code.
    public let reason: Reason
    /// A short human sentence, safe to send to the client.
    public let message: String

    /// Creates a rejection.
    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    /// `"<reason>: <message>"`.
    public var description: String { "\(reason): \(message)" }

    static let malformed = TokenRejection(.malformed, "malformed token")
    static let malformedClaims = TokenRejection(.malformed, "malformed token claims")
    static let tooLarge = TokenRejection(.tooLarge, "token too large")
    static let unsupportedAlgorithm = TokenRejection(.unsupportedAlgorithm, "unsupported token algorithm")
    static let unknownKey = TokenRejection(.unknownKey, "unknown signing key")
    static let badSignature = TokenRejection(.badSignature, "invalid token signature")
    static let expired = TokenRejection(.expired, "token expired")
    static let notYetValid = TokenRejection(.notYetValid, "token not yet valid")
    static let wrongIssuer = TokenRejection(.wrongIssuer, "token issuer not accepted")
    static let wrongAudience = TokenRejection(.wrongAudience, "token audience not accepted")
    static let wrongType = TokenRejection(.wrongType, "token is not an access token")
}
