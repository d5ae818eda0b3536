import TesseraCore

/// Reserves one password check for a name and a client address before any hashing, so that a
/// name gets at most the lockout threshold's worth of checks per window however many requests
/// arrive at once (and a client its own allowance). It also reads the user, if the name exists.
///
/// Every reservation is settled by the command that follows the check (``OpenSession``,
/// ``RecordFailedLogin``, ``ChangePassword``) or released
/// (``EventStore/releasePasswordCheck(_:)``); one left behind by a node that died expires by
/// itself after `hold`.
public struct ReservePasswordCheck: ScriptCommand {
    /// What reserving did.
    public enum Outcome: Sendable, Equatable {
        /// The check may run; settle or release `reservation` afterwards.
        case reserved(Reservation)
        /// No check: the name or the client has used its allowance.
        case refused(Refusal)
    }

    /// Why no check may run now.
    public enum Refusal: Sendable, Equatable {
        /// The name is locked until this time (ms).
        case locked(untilMilliseconds: Int64)
        /// Checks already in flight for the name use up its allowance.
        case busy
        /// The client address has used up its allowance.
        case address
    }

    /// A reserved check.
    public struct Reservation: Sendable, Equatable {
        /// The lower-cased username the check counts against.
        public var username: String
        /// The client key it counts against (empty for none).
        public var client: String
        /// Identifies the reservation when it is settled or released.
        public var token: String
        /// The user with this name, if any.
        public var user: User?
    }

    /// The user a check is for, as the script read them.
    public struct User: Sendable, Equatable {
        public var id: String
        /// The username as first registered.
        public var username: String
        public var passwordHash: String
        public var roles: [String]
        public var isDisabled: Bool
    }

    public static let script = ScriptName.loginAttempt
    /// The lower-cased username.
    public var username: String
    /// The client's rate-limit key (empty for none).
    public var client: String
    public var policy: LockoutPolicy
    /// How long a reservation holds if it is never settled.
    public var hold: Duration
    public var nowMilliseconds: Int64
    private let token = OpaqueToken.makeID()

    /// Creates the command.
    public init(username: String, client: String, policy: LockoutPolicy, hold: Duration, nowMilliseconds: Int64) {
        self.username = username
        self.client = client
        self.policy = policy
        self.hold = hold
        self.nowMilliseconds = nowMilliseconds
    }

    public func arguments() throws(StoreError) -> [String] {
        [
            String(nowMilliseconds), username, client, String(policy.threshold), String(policy.ipFailureLimit),
            String(policy.window.wholeMilliseconds), String(hold.wholeMilliseconds), token,
        ]
    }

    public func outcome(of reply: ScriptReply) throws(StoreError) -> Outcome {
        switch reply {
        case .rejected("locked", let detail):
            guard let until = Int64(detail) else { throw Self.unexpected(reply) }
            return .refused(.locked(untilMilliseconds: until))
        case .rejected("busy", _): return .refused(.busy)
        case .rejected("address", _): return .refused(.address)
        case .appended(let events, let values) where events.isEmpty:
            var user: User?
            if let id = values["user_id"] {
                guard let name = values["username"], let hash = values["password_hash"] else { throw Self.unexpected(reply) }
                user = User(
                    id: id,
                    username: name,
                    passwordHash: hash,
                    roles: UserRecord.roles(fromJSON: values["roles"]),
                    isDisabled: values["disabled"] == "1"
                )
            }
            return .reserved(Reservation(username: username, client: client, token: token, user: user))
        default: throw Self.unexpected(reply)
        }
    }
}
