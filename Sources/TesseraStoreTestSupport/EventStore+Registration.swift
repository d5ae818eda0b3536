public import TesseraCore
public import TesseraStore
import TesseraTestSupport

extension EventStore {
    /// Appends `payload` through `register.lua`.
    /// - Throws: `TestSupportError` when the script refuses it (e.g. the name is taken).
    @discardableResult
    public func register(_ payload: UserRegistered) async throws -> RecordedEvent {
        guard case .registered(let event) = try await run(RegisterUser(payload)) else {
            throw TestSupportError("the registration of \(payload.username) was rejected")
        }
        return event
    }

    /// Registers `username` with a new id, no roles and a placeholder hash (no password hashing).
    /// - Returns: the `UserRegistered` event and the user's id.
    @discardableResult
    public func registerUser(named username: String) async throws -> (event: RecordedEvent, userID: String) {
        let payload = UserRegistered.placeholder(username)
        return (try await register(payload), payload.userID)
    }
}

extension UserRegistered {
    /// A registration of `username` with a new id, no email, no roles and a placeholder yescrypt-shaped hash.
    public static func placeholder(_ username: String) -> UserRegistered {
        UserRegistered(userID: OpaqueToken.makeID(), username: username, email: nil, passwordHash: "$y$j9T$salt$hash", roles: [])
    }
}
