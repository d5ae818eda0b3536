// Payloads of the login and session events. Times are milliseconds since the epoch unless a
// name says otherwise; no payload holds a password, a refresh token or an access token.

/// A user was imported with an existing hash (`tessera user import`).
public struct UserImported: EventPayload, Equatable {
    public static let type = EventType.userImported
    public static let version = 1

    public var userID: String
    public var username: String
    public var email: String?
    /// The imported crypt(3) hash (e.g. passlib's `$2b$12$…`), upgraded to yescrypt at the next login.
    public var passwordHash: String
    public var roles: [String]
    public var disabled: Bool

    public init(userID: String, username: String, email: String?, passwordHash: String, roles: [String], disabled: Bool) {
        self.userID = userID
        self.username = username
        self.email = email
        self.passwordHash = passwordHash
        self.roles = roles
        self.disabled = disabled
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case username, email, roles, disabled
        case passwordHash = "password_hash"
    }
}

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

    public init(
        userID: String,
        username: String,
        sessionID: String,
        refreshHash: String,
        tokenID: String,
        accessExpiresAt: Int64,
        expiresAt: Int64,
        ip: String,
        userAgent: String
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
    }
}

/// A login failed. `userID` is set when the username exists.
public struct LoginFailed: EventPayload, Equatable {
    public static let type = EventType.loginFailed
    public static let version = 1

    public var userID: String?
    /// The lower-cased username that was tried.
    public var username: String
    public var ip: String
    /// `bad_password`, `unknown_user` or `disabled`.
    public var reason: String

    public init(userID: String?, username: String, ip: String, reason: String) {
        self.userID = userID
        self.username = username
        self.ip = ip
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case username, ip, reason
    }
}

/// A username was locked out after repeated failures.
public struct UserLockedOut: EventPayload, Equatable {
    public static let type = EventType.userLockedOut
    public static let version = 1

    public var userID: String?
    public var username: String
    /// The ids of the `LoginFailed` events that caused the lockout.
    public var failures: [String]
    /// When the lock ends.
    public var lockedUntil: Int64
    /// 0 for the first consecutive lockout; the duration doubles per level.
    public var level: Int

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case username, failures, level
        case lockedUntil = "until"
    }
}

/// A refresh token was rotated.
public struct TokenRefreshed: EventPayload, Equatable {
    public static let type = EventType.tokenRefreshed
    public static let version = 1

    public var userID: String
    public var sessionID: String
    public var refreshHash: String
    public var previousHash: String
    public var accessExpiresAt: Int64
    public var expiresAt: Int64

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case sessionID = "sid"
        case refreshHash = "refresh_hash"
        case previousHash = "previous_hash"
        case accessExpiresAt = "access_expires_at"
        case expiresAt = "expires_at"
    }
}

/// A rotated refresh token was presented again.
public struct RefreshReuseDetected: EventPayload, Equatable {
    public static let type = EventType.refreshReuseDetected
    public static let version = 1

    public var userID: String
    public var sessionID: String
    public var refreshHash: String

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

    public var userID: String
    public var sessionID: String
    /// `logout`, `logout_all`, `admin`, `password_change`, `refresh_reuse`, `revocation_endpoint`,
    /// `user_disabled` or `forced_logout`.
    public var reason: String
    /// When the session's newest access token expires (ms); the revocation entry is dropped after it.
    public var accessExpiresAt: Int64

    public init(userID: String, sessionID: String, reason: String, accessExpiresAt: Int64) {
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

/// One access token was revoked (by its `jti`).
public struct AccessTokenRevoked: EventPayload, Equatable {
    public static let type = EventType.accessTokenRevoked
    public static let version = 1

    public var userID: String
    public var tokenID: String
    public var sessionID: String
    /// The token's own expiry; the revocation entry is dropped after it.
    public var expiresAt: Int64

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

/// An admin forced a user out everywhere: tokens issued before `notBefore` are rejected.
public struct UserLoggedOutEverywhere: EventPayload, Equatable {
    public static let type = EventType.userLoggedOutEverywhere
    public static let version = 1

    public var userID: String
    /// NumericDate seconds: a token whose `iat` is earlier is rejected.
    public var notBefore: Int64

    public init(userID: String, notBefore: Int64) {
        self.userID = userID
        self.notBefore = notBefore
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case notBefore = "not_before"
    }
}

/// The user changed their password.
public struct PasswordChanged: EventPayload, Equatable {
    public static let type = EventType.passwordChanged
    public static let version = 1

    public var userID: String
    public var passwordHash: String
    /// The session that made the change; it survives.
    public var sessionID: String?

    public init(userID: String, passwordHash: String, sessionID: String?) {
        self.userID = userID
        self.passwordHash = passwordHash
        self.sessionID = sessionID
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case passwordHash = "password_hash"
        case sessionID = "sid"
    }
}

/// A stored hash was upgraded to yescrypt at a successful login.
public struct PasswordRehashed: EventPayload, Equatable {
    public static let type = EventType.passwordRehashed
    public static let version = 1

    public var userID: String
    public var passwordHash: String

    public init(userID: String, passwordHash: String) {
        self.userID = userID
        self.passwordHash = passwordHash
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case passwordHash = "password_hash"
    }
}
