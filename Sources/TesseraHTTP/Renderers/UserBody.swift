import Hummingbird
import TesseraCore
import TesseraStore

/// The user object: `{"id","username","email","roles","disabled"[,"created_at"]}`.
struct UserBody: ResponseEncodable {
    var id: String
    var username: String
    var email: String?
    var roles: [String]
    var disabled: Bool
    /// RFC 3339; absent from `GET /users/me`.
    var createdAt: String?

    init(_ user: UserProfile, includeCreatedAt: Bool) {
        id = user.id
        username = user.username
        email = user.email
        roles = user.roles
        disabled = user.isDisabled
        createdAt = includeCreatedAt ? Timestamp.rfc3339(milliseconds: user.createdAt) : nil
    }

    init(_ user: UserRecord, includeCreatedAt: Bool = true) {
        self.init(user.profile, includeCreatedAt: includeCreatedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, username, email, roles, disabled
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(username, forKey: .username)
        try container.encode(email, forKey: .email)  // null when absent
        try container.encode(roles, forKey: .roles)
        try container.encode(disabled, forKey: .disabled)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
    }
}
