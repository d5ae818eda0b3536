// Payloads of the user aggregate: a user's creation, password and failed logins (keyed by the
// lower-cased username, which exists or not). Times are milliseconds since the epoch unless a
// name says otherwise; no payload holds a password, a refresh token or an access token.

/// A user registered (`POST /users`, `POST /admin/users`, `tessera user add`, the admin bootstrap).
public struct UserRegistered: EventPayload, Equatable {
    public static let type = EventType.userRegistered
    public static let version = 1

    /// The user's stable id (the `sub` claim).
    public var userID: String
    /// The username as first registered; unique case-insensitively.
    public var username: String
    /// The e-mail address, when given.
    public var email: String?
    /// The password's crypt(3) hash (never the password).
    public var passwordHash: String
    /// The user's roles.
    public var roles: [String]

    /// Creates the event.
    public init(userID: String, username: String, email: String?, passwordHash: String, roles: [String]) {
        self.userID = userID
        self.username = username
        self.email = email
        self.passwordHash = passwordHash
        self.roles = roles
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case username, email, roles
        case passwordHash = "password_hash"
    }
}

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

    /// Creates the event.
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

/// The user changed their password.
public struct PasswordChanged: EventPayload, Equatable {
    public static let type = EventType.passwordChanged
    public static let version = 1

    public var userID: String
    public var passwordHash: String
    /// The session that made the change; it survives.
    public var sessionID: String?

    /// Creates the event.
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

    /// Creates the event.
    public init(userID: String, passwordHash: String) {
        self.userID = userID
        self.passwordHash = passwordHash
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case passwordHash = "password_hash"
    }
}

/// A login failed. `userID` is set when the username exists.
public struct LoginFailed: EventPayload, Equatable {
    public static let type = EventType.loginFailed
    public static let version = 1

    /// Why the login failed.
    public struct Reason: EventReason {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The password did not match.
        public static let badPassword = Reason(rawValue: "bad_password")
        /// No user has this name.
        public static let unknownUser = Reason(rawValue: "unknown_user")
        /// The password matched, but the user is disabled.
        public static let disabled = Reason(rawValue: "disabled")
    }

    public var userID: String?
    /// The lower-cased username that was tried.
    public var username: String
    public var ip: String
    public var reason: Reason

    /// Creates the event.
    public init(userID: String?, username: String, ip: String, reason: Reason) {
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

    /// Creates the event.
    public init(userID: String?, username: String, failures: [String], lockedUntil: Int64, level: Int) {
        self.userID = userID
        self.username = username
        self.failures = failures
        self.lockedUntil = lockedUntil
        self.level = level
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case username, failures, level
        case lockedUntil = "until"
    }
}
