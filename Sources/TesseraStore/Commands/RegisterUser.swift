public import TesseraCore

/// Adds a user (`UserRegistered` or `UserImported`) if the username is free, case-insensitively.
public struct RegisterUser: ScriptCommand {
    /// What registering did.
    public enum Outcome: Sendable, Equatable {
        /// The user was added by this event.
        case registered(RecordedEvent)
        /// Another user has this name (compared case-insensitively); nothing was written.
        case usernameTaken
    }

    public static let script = ScriptName.register
    private let payload: any EventPayload

    /// Registers a new user.
    public init(_ payload: UserRegistered) {
        self.payload = payload
    }

    /// Imports a user with an existing hash.
    public init(_ payload: UserImported) {
        self.payload = payload
    }

    public func arguments() throws(StoreError) -> [String] {
        [type(of: payload).type.name, String(type(of: payload).version), try Self.json(payload)]
    }

    public func outcome(of reply: ScriptReply) throws(StoreError) -> Outcome {
        switch reply {
        case .appended(let events, _) where events.count == 1: .registered(events[0])
        case .rejected("conflict", _): .usernameTaken
        default: throw Self.unexpected(reply)
        }
    }
}
