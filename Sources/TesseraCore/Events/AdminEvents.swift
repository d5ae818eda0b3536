// Payloads of an admin's actions on a user. `notBefore` values are NumericDate seconds.

/// An admin forced a user out everywhere: tokens issued before `notBefore` are rejected.
public struct UserLoggedOutEverywhere: EventPayload, Equatable {
    public static let type = EventType.userLoggedOutEverywhere
    public static let version = 1

    public var userID: String
    /// NumericDate seconds: a token whose `iat` is earlier is rejected.
    public var notBefore: Int64
    /// When the last access token issued to the user before `notBefore` expires (ms): the
    /// not-before entry may be dropped after it. Absent in events written before it existed.
    public var expiresAt: Int64?

    /// Creates the event.
    public init(userID: String, notBefore: Int64, expiresAt: Int64?) {
        self.userID = userID
        self.notBefore = notBefore
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case notBefore = "not_before"
        case expiresAt = "expires_at"
    }
}

/// An admin disabled a user: logins fail, and tokens issued before `notBefore` are rejected.
public struct UserDisabled: EventPayload, Equatable {
    public static let type = EventType.userDisabled
    public static let version = 1

    public var userID: String
    /// NumericDate seconds: tokens whose `iat` is earlier are rejected.
    public var notBefore: Int64
    /// When the last access token issued to the user before `notBefore` expires (ms): the
    /// not-before entry may be dropped after it. Absent in events written before it existed.
    public var expiresAt: Int64?

    /// Creates the event.
    public init(userID: String, notBefore: Int64, expiresAt: Int64?) {
        self.userID = userID
        self.notBefore = notBefore
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case notBefore = "not_before"
        case expiresAt = "expires_at"
    }
}

/// An admin enabled a disabled user again.
public struct UserEnabled: EventPayload, Equatable {
    public static let type = EventType.userEnabled
    public static let version = 1

    public var userID: String

    /// Creates the event.
    public init(userID: String) {
        self.userID = userID
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
    }
}

/// An admin replaced a user's roles; tokens issued later carry the new ones.
public struct RolesChanged: EventPayload, Equatable {
    public static let type = EventType.rolesChanged
    public static let version = 1

    public var userID: String
    public var roles: [String]

    /// Creates the event.
    public init(userID: String, roles: [String]) {
        self.userID = userID
        self.roles = roles
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case roles
    }
}
