public import TesseraCore
import TesseraStore

/// Why a use case refused or failed, with a message safe to show the client or the operator.
///
/// The HTTP layer maps each code to a status and an OAuth-style error code in one place;
/// `underlying` is for the log, never for the client.
public struct AuthError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Input breaks the rules (a username, password, email, role, or a parameter).
        public static let invalidInput = Code("invalidInput")
        /// Bad credentials, or a bad, expired, revoked or reused refresh token.
        public static let invalidGrant = Code("invalidGrant")
        /// The access token is fine but names what no longer exists (the user was deleted).
        public static let invalidToken = Code("invalidToken")
        /// Open registration is turned off.
        public static let registrationClosed = Code("registrationClosed")
        /// No such user, session or event.
        public static let notFound = Code("notFound")
        /// The username is taken (case-insensitively).
        public static let usernameTaken = Code("usernameTaken")
        /// The password changed between its verification and the write; try again.
        public static let passwordChangedMeanwhile = Code("passwordChangedMeanwhile")
        /// An imported hash is of a kind libxcrypt cannot verify.
        public static let unsupportedHash = Code("unsupportedHash")
        /// Too many failed logins of this name or from this client; see `retryAfter`.
        public static let locked = Code("locked")
        /// The password hasher's queue is full; see `retryAfter`.
        public static let overloaded = Code("overloaded")
        /// Redis failed; see `underlying`.
        public static let storeFailure = Code("storeFailure")
        /// A revocation is in the log but fewer replicas than `--min-replicas-ack` confirmed it in
        /// time; see `receipt` and `retryAfter`.
        public static let notDurablyAcknowledged = Code("notDurablyAcknowledged")
        /// Something that should not fail did (hashing); see `underlying`.
        public static let internalFailure = Code("internalFailure")
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for the client or the operator; never holds a password, a hash or a token.
    public var message: String
    /// When to try again, for `.locked`, `.overloaded` and `.storeFailure`.
    public var retryAfter: Duration?
    /// The failure behind `.storeFailure` or `.internalFailure`, for the log.
    public var underlying: (any Error & Sendable)?
    /// For `.notDurablyAcknowledged`: the last event the call appended, which is in the log.
    public var receipt: EventID?

    /// Creates an error.
    public init(_ code: Code, _ message: String, retryAfter: Duration? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
        self.underlying = underlying
    }

    public var description: String { message }
}

extension AuthError {
    /// The answer to any failed password or refresh grant: the same words whatever failed.
    static let badCredentials = AuthError(.invalidGrant, "invalid username or password")

    /// Redis failed during a use case.
    /// A revocation whose events the replicas did not confirm in time says so, with its receipt.
    static func store(_ error: any Error) -> AuthError {
        if let error = error as? StoreError, error.code == .notReplicated {
            var failure = AuthError(
                .notDurablyAcknowledged,
                "the revocation is in the event log but not yet durably acknowledged by the replicas; retry",
                retryAfter: .seconds(1),
                underlying: error
            )
            failure.receipt = error.events.last?.id
            return failure
        }
        return AuthError(.storeFailure, "the token store is unavailable", retryAfter: .seconds(1), underlying: error)
    }
}
