public import TesseraCore

/// Opens a session after the password was verified (`LoginSucceeded`), upgrading the stored
/// hash when `rehash` is given (`PasswordRehashed` first).
///
/// The script checks what must not race the verification: the user still exists, is not
/// disabled, still has the hash that was verified, and the name is not locked.
public struct OpenSession: ScriptCommand {
    /// What opening the session did.
    public enum Outcome: Sendable, Equatable {
        /// The session is open; the events appended, `LoginSucceeded` last.
        case opened([RecordedEvent])
        /// A precondition failed; nothing was written.
        case refused(Refusal)
    }

    /// Why a verified login opened no session.
    public enum Refusal: Sendable, Equatable {
        /// The user no longer exists.
        case userGone
        /// The user is disabled.
        case userDisabled
        /// The password changed between the verification and now.
        case passwordChangedMeanwhile
        /// The name is locked until this time (ms since the epoch).
        case locked(untilMilliseconds: Int64)
    }

    public static let script = ScriptName.login
    /// The session to open.
    public var login: LoginSucceeded
    /// The stored hash the password was verified against.
    public var verifiedHash: String
    /// The upgraded hash, when the stored one is not yescrypt.
    public var rehash: PasswordRehashed?
    /// Now, in ms since the epoch (for the lock check).
    public var nowMilliseconds: Int64
    /// The password check this login settles (``ReservePasswordCheck``); nil for none.
    public var reservation: ReservePasswordCheck.Reservation?

    /// Creates the command.
    public init(
        login: LoginSucceeded,
        verifiedHash: String,
        rehash: PasswordRehashed?,
        nowMilliseconds: Int64,
        settling reservation: ReservePasswordCheck.Reservation?
    ) {
        self.login = login
        self.verifiedHash = verifiedHash
        self.rehash = rehash
        self.nowMilliseconds = nowMilliseconds
        self.reservation = reservation
    }

    public func arguments() throws(StoreError) -> [String] {
        [
            String(nowMilliseconds), verifiedHash, try Self.json(login),
            try rehash.map { (payload) throws(StoreError) in try Self.json(payload) } ?? "",
            reservation?.client ?? "", reservation?.token ?? "",
        ]
    }

    public func outcome(of reply: ScriptReply) throws(StoreError) -> Outcome {
        switch reply {
        case .appended(let events, _) where events.last?.type == .loginSucceeded: return .opened(events)
        case .rejected("not_found", _): return .refused(.userGone)
        case .rejected("disabled", _): return .refused(.userDisabled)
        case .rejected("password_changed", _): return .refused(.passwordChangedMeanwhile)
        case .rejected("locked", let detail):
            guard let until = Int64(detail) else { throw Self.unexpected(reply) }
            return .refused(.locked(untilMilliseconds: until))
        default: throw Self.unexpected(reply)
        }
    }
}
