/// What `GET /users/me` shows of a user: the user without the password hash.
public struct UserProfile: Sendable, Equatable {
    /// The stable id (the `sub` claim).
    public var id: String
    /// The username as first registered.
    public var username: String
    public var email: String?
    public var roles: [String]
    public var isDisabled: Bool
    /// When the user was registered (ms since the epoch).
    public var createdAt: Int64
}

extension UserRecord {
    /// The user without the password hash.
    public var profile: UserProfile {
        UserProfile(id: id, username: username, email: email, roles: roles, isDisabled: isDisabled, createdAt: createdAt)
    }
}
