public import TesseraCore

/// An admin's action on one user: a forced logout, disable, enable, or new roles.
public struct AdminUserAction: ScriptCommand {
    /// What the action did.
    public enum Outcome: Sendable, Equatable {
        /// The events appended (none for enabling a user who is not disabled).
        case applied([RecordedEvent])
        /// No user has this id; nothing was written.
        case noSuchUser
    }

    /// The action.
    public enum Action: Sendable, Equatable {
        /// `UserLoggedOutEverywhere` with this not-before time (NumericDate seconds), then
        /// `SessionRevoked(forced_logout)` per live session.
        case forceLogout(notBefore: Int64)
        /// `UserDisabled` with this not-before time, then `SessionRevoked(user_disabled)` per live session.
        case disable(notBefore: Int64)
        /// `UserEnabled`, when the user is disabled.
        case enable
        /// `RolesChanged` to these roles.
        case setRoles([String])
    }

    public static let script = ScriptName.adminUser
    public static let mayRevoke = true
    public var userID: String
    public var action: Action
    /// Now (ms): which sessions are live.
    public var nowMilliseconds: Int64

    /// Creates the command.
    public init(userID: String, action: Action, nowMilliseconds: Int64 = Timestamp.nowMilliseconds()) {
        self.userID = userID
        self.action = action
        self.nowMilliseconds = nowMilliseconds
    }

    public func arguments() throws(StoreError) -> [String] {
        let now = String(nowMilliseconds)
        return switch action {
        case .forceLogout(let notBefore): ["logout", userID, String(notBefore), "[]", now]
        case .disable(let notBefore): ["disable", userID, String(notBefore), "[]", now]
        case .enable: ["enable", userID, "0", "[]", now]
        case .setRoles(let roles): ["roles", userID, "0", try Self.jsonArray(roles), now]
        }
    }

    private static func jsonArray(_ roles: [String]) throws(StoreError) -> String {
        do {
            return String(decoding: try EventEncoding.encode(roles), as: UTF8.self)
        } catch {
            throw StoreError(.corruptData, "cannot encode roles")
        }
    }

    public func outcome(of reply: ScriptReply) throws(StoreError) -> Outcome {
        switch reply {
        case .appended(let events, _): .applied(events)
        case .rejected("not_found", _): .noSuchUser
        default: throw Self.unexpected(reply)
        }
    }
}
