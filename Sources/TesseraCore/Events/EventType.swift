/// The name of an event type, PascalCase as in the API (`UserRegistered`, `SessionRevoked`, ...).
///
/// An extensible set: new types are added as static members without breaking readers.
public struct EventType: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The type's name as stored in the log.
    public let name: String

    /// Creates a type from its stored name.
    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }
    public init(from decoder: any Decoder) throws { self.name = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
    public var description: String { name }

    public static let userRegistered: EventType = "UserRegistered"
    public static let userImported: EventType = "UserImported"
    public static let loginSucceeded: EventType = "LoginSucceeded"
    public static let loginFailed: EventType = "LoginFailed"
    public static let userLockedOut: EventType = "UserLockedOut"
    public static let tokenRefreshed: EventType = "TokenRefreshed"
    public static let refreshReuseDetected: EventType = "RefreshReuseDetected"
    public static let sessionRevoked: EventType = "SessionRevoked"
    public static let accessTokenRevoked: EventType = "AccessTokenRevoked"
    public static let userLoggedOutEverywhere: EventType = "UserLoggedOutEverywhere"
    public static let passwordChanged: EventType = "PasswordChanged"
    public static let passwordRehashed: EventType = "PasswordRehashed"
    public static let rolesChanged: EventType = "RolesChanged"
    public static let userDisabled: EventType = "UserDisabled"
    public static let userEnabled: EventType = "UserEnabled"
    public static let feedCredentialIssued: EventType = "FeedCredentialIssued"
    public static let feedCredentialRevoked: EventType = "FeedCredentialRevoked"
}

extension EventType {
    /// The payload type of each event type Tessera writes: the schema of the log.
    ///
    /// The Lua scripts write exactly these payloads' fields; a test runs every script and
    /// decodes every event it appends through this table.
    public static let payloadTypes: [EventType: any EventPayload.Type] = [
        .userRegistered: UserRegistered.self,
        .userImported: UserImported.self,
        .passwordChanged: PasswordChanged.self,
        .passwordRehashed: PasswordRehashed.self,
        .loginFailed: LoginFailed.self,
        .userLockedOut: UserLockedOut.self,
        .loginSucceeded: LoginSucceeded.self,
        .tokenRefreshed: TokenRefreshed.self,
        .refreshReuseDetected: RefreshReuseDetected.self,
        .sessionRevoked: SessionRevoked.self,
        .accessTokenRevoked: AccessTokenRevoked.self,
        .userLoggedOutEverywhere: UserLoggedOutEverywhere.self,
        .userDisabled: UserDisabled.self,
        .userEnabled: UserEnabled.self,
        .rolesChanged: RolesChanged.self,
        .feedCredentialIssued: FeedCredentialIssued.self,
        .feedCredentialRevoked: FeedCredentialRevoked.self,
    ]
}
