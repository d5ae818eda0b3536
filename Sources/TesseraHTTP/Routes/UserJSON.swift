import TesseraCore
import TesseraStore

/// The user object of API.md: `{"id","username","email","roles","disabled"[,"created_at"]}`.
enum UserJSON {
    static func render(_ user: UserRecord, includeCreatedAt: Bool) -> String {
        var members: [(String, JSONText.Value)] = [
            ("id", .string(user.id)),
            ("username", .string(user.username)),
            ("email", user.email.map(JSONText.Value.string) ?? .null),
            ("roles", .array(user.roles.map(JSONText.Value.string))),
            ("disabled", .bool(user.isDisabled)),
        ]
        if includeCreatedAt {
            members.append(("created_at", .string(Timestamp.rfc3339(milliseconds: user.createdAt))))
        }
        return JSONText.object(members)
    }
}
