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
