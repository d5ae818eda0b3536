import TesseraCore

/// A user as the projection holds it.
public struct UserRecord: Sendable, Equatable {
    /// The stable id (the `sub` claim).
    public var id: String
    /// The username as first registered.
    public var username: String
    public var email: String?
    /// The crypt(3) hash of the password.
    public var passwordHash: String
    public var roles: [String]
    public var isDisabled: Bool
    /// When the user was registered (ms since the epoch).
    public var createdAt: Int64
    /// NumericDate seconds of the last forced logout; tokens issued earlier are rejected.
    public var notBefore: Int64?

    /// Reads a user from `HGETALL user:<id>`'s field/value list; nil when the hash is empty.
    init?(fields: [String: String]) {
        guard let id = fields["id"], let username = fields["username"], let passwordHash = fields["password_hash"] else {
            return nil
        }
        self.id = id
        self.username = username
        self.email = fields["email"]
        self.passwordHash = passwordHash
        self.roles = Self.roles(fromJSON: fields["roles"])
        self.isDisabled = fields["disabled"] == "1"
        self.createdAt = Int64(fields["created_at"] ?? "") ?? 0
        self.notBefore = fields["not_before"].flatMap { Int64($0) }
    }

    /// The roles of the projection's `roles` field (a JSON array of strings); none when absent or malformed.
    public static func roles(fromJSON json: String?) -> [String] {
        guard let json, json != "[]" else { return [] }
        return (try? EventEncoding.decode([String].self, from: Array(json.utf8))) ?? []
    }
}
