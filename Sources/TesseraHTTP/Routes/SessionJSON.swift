import TesseraCore
import TesseraStore

/// `{"sessions":[{"sid","created_at","last_used_at","expires_at","ip","user_agent","current"}]}`.
enum SessionJSON {
    static func render(_ sessions: [SessionRecord], currentSessionID: String?) -> String {
        JSONText.object([
            (
                "sessions",
                .array(
                    sessions.map { session in
                        .object([
                            ("sid", .string(session.sessionID)),
                            ("created_at", .string(Timestamp.rfc3339(milliseconds: session.createdAt))),
                            ("last_used_at", .string(Timestamp.rfc3339(milliseconds: session.lastUsedAt))),
                            ("expires_at", .string(Timestamp.rfc3339(milliseconds: session.expiresAt))),
                            ("ip", .string(session.ip)),
                            ("user_agent", .string(session.userAgent)),
                            ("current", .bool(session.sessionID == currentSessionID)),
                        ])
                    }
                )
            )
        ])
    }
}
