public import TesseraCore

/// Settles a reserved password check that failed: records it (`LoginFailed`) and, when the name
/// reached the policy's threshold within the window, locks it (`UserLockedOut`, citing the
/// failures). The failure counts against the name and against `failure.ip`, the client's key.
public struct RecordFailedLogin: ScriptCommand {
    /// What was recorded.
    public struct Outcome: Sendable, Equatable {
        /// `LoginFailed`, then `UserLockedOut` when this failure locked the name.
        public var events: [RecordedEvent]
        /// Until when the name is now locked (ms since the epoch), when this failure locked it.
        public var lockedUntilMilliseconds: Int64?
    }

    public static let script = ScriptName.loginFailed
    /// The failure.
    public var failure: LoginFailed
    /// When failures lock the name.
    public var policy: LockoutPolicy
    /// The check this failure settles (``ReservePasswordCheck``); nil for none.
    public var reservation: ReservePasswordCheck.Reservation?

    /// Creates the command.
    public init(_ failure: LoginFailed, policy: LockoutPolicy, settling reservation: ReservePasswordCheck.Reservation?) {
        self.failure = failure
        self.policy = policy
        self.reservation = reservation
    }

    public func arguments() throws(StoreError) -> [String] {
        [
            try Self.json(failure), String(policy.threshold), String(policy.firstLock.wholeSeconds),
            String(policy.longestLock.wholeSeconds), String(policy.ipFailureLimit), String(policy.window.wholeMilliseconds),
            reservation?.token ?? "",
        ]
    }

    public func outcome(of reply: ScriptReply) throws(StoreError) -> Outcome {
        guard case .appended(let events, let values) = reply, !events.isEmpty, let until = values["locked_until"].flatMap({ Int64($0) })
        else { throw Self.unexpected(reply) }
        return Outcome(events: events, lockedUntilMilliseconds: until > 0 ? until : nil)
    }
}
