import Hummingbird
import TesseraCore
import TesseraStore

/// `{"sessions":[{"sid","created_at","last_used_at","expires_at","ip","user_agent","current"}]}`.
struct SessionsBody: ResponseEncodable {
    struct Session: Encodable {
        var sid: String
        var createdAt: String
        var lastUsedAt: String
        var expiresAt: String
        var ip: String
        var userAgent: String
        var current: Bool

        enum CodingKeys: String, CodingKey {
            case sid, ip, current
            case createdAt = "created_at"
            case lastUsedAt = "last_used_at"
            case expiresAt = "expires_at"
            case userAgent = "user_agent"
        }
    }

    var sessions: [Session]

    /// `current` is true for `currentSessionID`'s session (nil in admin listings).
    init(_ sessions: [SessionRecord], currentSessionID: String?) {
        self.sessions = sessions.map { session in
            Session(
                sid: session.sessionID,
                createdAt: Timestamp.rfc3339(milliseconds: session.createdAt),
                lastUsedAt: Timestamp.rfc3339(milliseconds: session.lastUsedAt),
                expiresAt: Timestamp.rfc3339(milliseconds: session.expiresAt),
                ip: session.ip,
                userAgent: session.userAgent,
                current: session.sessionID == currentSessionID
            )
        }
    }
}
