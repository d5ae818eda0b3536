public import TesseraCore

/// Changes a password (`PasswordChanged`) and revokes every other session of the user.
///
/// The script checks that the stored hash is still the one the current password was verified
/// against, so a change cannot race another.
public struct ChangePassword: ScriptCommand {
    /// What changing the password did.
    public enum Outcome: Sendable, Equatable {
        /// `PasswordChanged`, then a `SessionRevoked` per other live session.
        case changed([RecordedEvent])
        /// The user no longer exists.
        case userGone
        /// The password changed since it was verified; nothing was written.
        case passwordChangedMeanwhile
    }

    public static let script = ScriptName.changePassword
    public static let mayRevoke = true
    /// The change; its `sessionID` survives.
    public var change: PasswordChanged
    /// The stored hash the current password was verified against.
    public var verifiedHash: String
    /// The check of the current password this change settles (``ReservePasswordCheck``); nil for none.
    public var reservation: ReservePasswordCheck.Reservation?
    /// Now (ms): which sessions are live.
    public var nowMilliseconds: Int64

    /// Creates the command.
    public init(
        _ change: PasswordChanged,
        verifiedHash: String,
        settling reservation: ReservePasswordCheck.Reservation?,
        nowMilliseconds: Int64 = Timestamp.nowMilliseconds()
    ) {
        self.change = change
        self.verifiedHash = verifiedHash
        self.reservation = reservation
        self.nowMilliseconds = nowMilliseconds
    }

    public func arguments() throws(StoreError) -> [String] {
        [
            verifiedHash, try Self.json(change), reservation?.username ?? "", reservation?.client ?? "", reservation?.token ?? "",
            String(nowMilliseconds),
        ]
    }

    public func outcome(of reply: ScriptReply) throws(StoreError) -> Outcome {
        switch reply {
        case .appended(let events, _) where events.first?.type == .passwordChanged: .changed(events)
        case .rejected("not_found", _): .userGone
        case .rejected("password_changed", _): .passwordChangedMeanwhile
        default: throw Self.unexpected(reply)
        }
    }
}
