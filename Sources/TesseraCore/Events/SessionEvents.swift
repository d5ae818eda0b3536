// Payloads of the session aggregate: a session opened by a login, its refresh-token rotations,
// and its end. Times are milliseconds since the epoch unless a name says otherwise; no payload
// holds a password, a refresh token or an access token (only their ids or SHA-256 hashes).

/// A login succeeded and opened a session.
public struct LoginSucceeded: EventPayload, Equatable {
    public static let type = EventType.loginSucceeded
    public static let version = 1

    public var userID: String
    /// The lower-cased username (the lockout key that a success resets).
    public var username: String
    public var sessionID: String
    /// SHA-256 (hex) of the session's first refresh token.
    public var refreshHash: String
    /// The `jti` of the access token issued with the session.
    public var tokenID: String
    /// When the issued access token expires.
    public var accessExpiresAt: Int64
    /// When the session (its refresh token) expires.
    public var expiresAt: Int64
    public var ip: String
    public var userAgent: String
    /// The roles granted to the session: the user's roles at login, narrowed to the requested
    /// scope. Every refresh grants at most these (still held by the user). Absent in events
    /// written before it existed; such sessions refresh to the user's current roles.
    public var scope: [String]?

    /// Creates the event.
    public init(
        userID: String,
        username: String,
        sessionID: String,
        refreshHash: String,
        tokenID: String,
        accessExpiresAt: Int64,
        expiresAt: Int64,
        ip: String,
        userAgent: String,
        scope: [String]?
    ) {
        self.userID = userID
        self.username = username
        self.sessionID = sessionID
        self.refreshHash = refreshHash
        self.tokenID = tokenID
        self.accessExpiresAt = accessExpiresAt
        self.expiresAt = expiresAt
        self.ip = ip
        self.userAgent = userAgent
        self.scope = scope
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case username
        case sessionID = "sid"
        case refreshHash = "refresh_hash"
        case tokenID = "jti"
        case accessExpiresAt = "access_expires_at"
        case expiresAt = "expires_at"
        case ip
        case userAgent = "user_agent"
        case scope
    }
}

/// A refresh token was rotated: the session's current token is now `refreshHash`'s.
public struct TokenRefreshed: EventPayload, Equatable {
    public static let type = EventType.tokenRefreshed
    public static let version = 1

    public var userID: String
    public var sessionID: String
    /// SHA-256 (hex) of the new refresh token.
    public var refreshHash: String
    /// SHA-256 (hex) of the token it replaced.
    public var previousHash: String
    /// When the access token issued with the rotation expires.
    public var accessExpiresAt: Int64
    /// When the new refresh token (and so the session) expires.
    public var expiresAt: Int64
    /// The client that refreshed.
    public var ip: String
    public var userAgent: String

    /// Creates the event.
    public init(
        userID: String,
        sessionID: String,
        refreshHash: String,
        previousHash: String,
        accessExpiresAt: Int64,
        expiresAt: Int64,
        ip: String,
        userAgent: String
    ) {
        self.userID = userID
        self.sessionID = sessionID
        self.refreshHash = refreshHash
        self.previousHash = previousHash
        self.accessExpiresAt = accessExpiresAt
        self.expiresAt = expiresAt
        self.ip = ip
        self.userAgent = userAgent
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case sessionID = "sid"
        case refreshHash = "refresh_hash"
        case previousHash = "previous_hash"
        case accessExpiresAt = "access_expires_at"
        case expiresAt = "expires_at"
        case ip
        case userAgent = "user_agent"
    }
}

/// A rotated refresh token was presented again.
public struct RefreshReuseDetected: EventPayload, Equatable {
    public static let type = EventType.refreshReuseDetected
    public static let version = 1

    public var userID: String
    public var sessionID: String
    /// SHA-256 (hex) of the token presented again.
    public var refreshHash: String

    /// Creates the event.
    public init(userID: String, sessionID: String, refreshHash: String) {
        self.userID = userID
        self.sessionID = sessionID
        self.refreshHash = refreshHash
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case sessionID = "sid"
        case refreshHash = "refresh_hash"
    }
}

/// A session was revoked: its refresh token and every access token it issued are dead.
public struct SessionRevoked: EventPayload, Equatable {
    public static let type = EventType.sessionRevoked
    public static let version = 1

    /// Why the session ended.
    public struct Reason: EventReason {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// `POST /logout`, or the user deleted one of their sessions.
        public static let logout = Reason(rawValue: "logout")
        /// `POST /logout/all`.
        public static let logoutAll = Reason(rawValue: "logout_all")
        /// An admin deleted the session.
        public static let admin = Reason(rawValue: "admin")
        /// The user changed their password (every other session ends).
        public static let passwordChange = Reason(rawValue: "password_change")
        /// A rotated refresh token was presented again.
        public static let refreshReuse = Reason(rawValue: "refresh_reuse")
        /// `POST /revoke` with the session's refresh token.
        public static let revocationEndpoint = Reason(rawValue: "revocation_endpoint")
        /// An admin disabled the user.
        public static let userDisabled = Reason(rawValue: "user_disabled")
        /// An admin forced the user out everywhere.
        public static let forcedLogout = Reason(rawValue: "forced_logout")
    }

    public var userID: String
    public var sessionID: String
    public var reason: Reason
    /// When the session's newest access token expires (ms); the revocation entry is dropped after it.
    public var accessExpiresAt: Int64

    /// Creates the event.
    public init(userID: String, sessionID: String, reason: Reason, accessExpiresAt: Int64) {
        self.userID = userID
        self.sessionID = sessionID
        self.reason = reason
        self.accessExpiresAt = accessExpiresAt
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case sessionID = "sid"
        case reason
        case accessExpiresAt = "access_expires_at"
    }
}

/// One access token was revoked (by its `jti`, RFC 7009).
public struct AccessTokenRevoked: EventPayload, Equatable {
    public static let type = EventType.accessTokenRevoked
    public static let version = 1

    public var userID: String
    public var tokenID: String
    public var sessionID: String
    /// The token's own expiry; the revocation entry is dropped after it.
    public var expiresAt: Int64

    /// Creates the event.
    public init(userID: String, tokenID: String, sessionID: String, expiresAt: Int64) {
        self.userID = userID
        self.tokenID = tokenID
        self.sessionID = sessionID
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case tokenID = "jti"
        case sessionID = "sid"
        case expiresAt = "expires_at"
    }
}
