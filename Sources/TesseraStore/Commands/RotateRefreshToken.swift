public import TesseraCore

/// Rotates a refresh token (`TokenRefreshed`): the presented token must be its session's
/// current one. Presenting a previous one is reuse and revokes the session; within the reuse
/// grace, the token just rotated away gets the rotation's answer again.
public struct RotateRefreshToken: ScriptCommand {
    public typealias Outcome = RefreshOutcome

    public static let script = ScriptName.refresh
    public static let mayRevoke = true
    /// SHA-256 (hex) of the presented token.
    public var presentedHash: String
    /// SHA-256 (hex) of the new token.
    public var newHash: String
    /// When the access token issued with the rotation expires (ms).
    public var accessExpiresAt: Int64
    /// When the new refresh token expires (ms).
    public var expiresAt: Int64
    /// How long the rotated-away token may be presented again for the same answer.
    public var reuseGrace: Duration
    /// The client, for the session listing.
    public var ip: String
    public var userAgent: String
    /// The new token sealed under the presented one (`RefreshGraceSeal`); empty without grace.
    public var sealedForGrace: String
    /// Now (ms).
    public var nowMilliseconds: Int64

    /// Creates the command.
    public init(
        presentedHash: String,
        newHash: String,
        accessExpiresAt: Int64,
        expiresAt: Int64,
        reuseGrace: Duration,
        ip: String,
        userAgent: String,
        sealedForGrace: String,
        nowMilliseconds: Int64
    ) {
        self.presentedHash = presentedHash
        self.newHash = newHash
        self.accessExpiresAt = accessExpiresAt
        self.expiresAt = expiresAt
        self.reuseGrace = reuseGrace
        self.ip = ip
        self.userAgent = userAgent
        self.sealedForGrace = sealedForGrace
        self.nowMilliseconds = nowMilliseconds
    }

    public func arguments() throws(StoreError) -> [String] {
        [
            String(nowMilliseconds), presentedHash, newHash, String(accessExpiresAt), String(expiresAt),
            String(reuseGrace.wholeMilliseconds), ip, userAgent, sealedForGrace,
        ]
    }

    public func outcome(of reply: ScriptReply) throws(StoreError) -> Outcome {
        switch reply {
        case .rejected(let code, _):
            guard let reason = RefreshOutcome.Rejection(code: code) else { throw Self.unexpected(reply) }
            return .rejected(reason)
        case .appended(let events, let values):
            guard let sessionID = values["sid"], let userID = values["user_id"] else { throw Self.unexpected(reply) }
            let user = { () throws(StoreError) -> RefreshOutcome.User in
                guard let username = values["username"], !username.isEmpty else { throw Self.unexpected(reply) }
                return RefreshOutcome.User(id: userID, username: username, roles: UserRecord.roles(fromJSON: values["roles"]))
            }
            switch values["outcome"] {
            case "rotated":
                guard events.count == 1 else { throw Self.unexpected(reply) }
                return .rotated(RefreshOutcome.Rotation(event: events[0], sessionID: sessionID, user: try user()))
            case "grace":
                guard events.isEmpty, let sealed = values["sealed"], let access = values["access_expires_at"].flatMap({ Int64($0) })
                else { throw Self.unexpected(reply) }
                return .grace(
                    RefreshOutcome.GraceReplay(sessionID: sessionID, user: try user(), sealedRefreshToken: sealed, accessExpiresAt: access)
                )
            case "reused":
                guard !events.isEmpty else { throw Self.unexpected(reply) }
                return .reused(sessionID: sessionID, events: events)
            default:
                throw Self.unexpected(reply)
            }
        }
    }
}

/// What presenting a refresh token did.
public enum RefreshOutcome: Sendable, Equatable {
    /// The token was the session's current one and is now rotated.
    case rotated(Rotation)
    /// The token was rotated away within the reuse grace: the rotation's answer again, no event.
    case grace(GraceReplay)
    /// The token was rotated away before: reuse. The session is revoked by these events.
    case reused(sessionID: String, events: [RecordedEvent])
    /// Nothing was written.
    case rejected(Rejection)

    /// The user a token is issued for, as the script read them in the same step.
    public struct User: Sendable, Equatable {
        public var id: String
        public var username: String
        public var roles: [String]
    }

    /// A rotation: its `TokenRefreshed` event and whom to issue the access token for.
    public struct Rotation: Sendable, Equatable {
        public var event: RecordedEvent
        public var sessionID: String
        public var user: User
    }

    /// The rotation a grace presentation repeats.
    public struct GraceReplay: Sendable, Equatable {
        public var sessionID: String
        public var user: User
        /// The rotation's new refresh token, sealed under the presented one.
        public var sealedRefreshToken: String
        /// The rotation's access-token expiry (ms).
        public var accessExpiresAt: Int64
    }

    /// Why a presented refresh token was refused.
    public enum Rejection: Sendable, Equatable {
        /// No session has this token.
        case unknownToken
        /// The session was revoked.
        case sessionRevoked
        /// The session expired.
        case expired
        /// The user is disabled.
        case userDisabled

        init?(code: String) {
            switch code {
            case "unknown_token": self = .unknownToken
            case "session_revoked": self = .sessionRevoked
            case "expired": self = .expired
            case "disabled": self = .userDisabled
            default: return nil
            }
        }
    }
}
