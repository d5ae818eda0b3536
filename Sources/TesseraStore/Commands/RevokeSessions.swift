public import TesseraCore

/// Revokes sessions of one user, one `SessionRevoked` per live session.
public struct RevokeSessions: ScriptCommand {
    /// What was revoked.
    public enum Outcome: Sendable, Equatable {
        /// The events that revoked the sessions (none when there was nothing live to revoke).
        case revoked([RecordedEvent])
        /// `.one`: no live session of the user has this id; nothing was written.
        case notFound
    }

    /// Which sessions.
    public enum Scope: Sendable, Equatable {
        /// One live session of the user (else `.notFound`).
        case one(String)
        /// Every live session.
        case all
        /// Every live session but this one.
        case allExcept(String)
    }

    public static let script = ScriptName.revokeSessions
    public static let mayRevoke = true
    public var userID: String
    public var scope: Scope
    public var reason: SessionRevoked.Reason
    /// Now (ms): which sessions are live.
    public var nowMilliseconds: Int64

    /// Creates the command.
    public init(userID: String, scope: Scope, reason: SessionRevoked.Reason, nowMilliseconds: Int64 = Timestamp.nowMilliseconds()) {
        self.userID = userID
        self.scope = scope
        self.reason = reason
        self.nowMilliseconds = nowMilliseconds
    }

    public func arguments() throws(StoreError) -> [String] {
        let (mode, sid) =
            switch scope {
            case .one(let sid): ("one", sid)
            case .all: ("all", "")
            case .allExcept(let sid): ("others", sid)
            }
        return [userID, reason.rawValue, mode, sid, String(nowMilliseconds)]
    }

    public func outcome(of reply: ScriptReply) throws(StoreError) -> Outcome {
        switch reply {
        case .appended(let events, _): .revoked(events)
        case .rejected("not_found", _): .notFound
        default: throw Self.unexpected(reply)
        }
    }
}
