/// An admin disabled a user: logins fail, and tokens issued before `notBefore` are rejected.
public struct UserDisabled: EventPayload, Equatable {
    public static let type = EventType.userDisabled
    public static let version = 1

    public var userID: String
    /// NumericDate seconds: tokens whose `iat` is earlier are rejected.
    public var notBefore: Int64

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case notBefore = "not_before"
    }
}

/// An admin enabled a disabled user again.
public struct UserEnabled: EventPayload, Equatable {
    public static let type = EventType.userEnabled
    public static let version = 1

    public var userID: String

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

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case roles
    }
}
