/// A role a user holds. Roles are also the OAuth scopes of Tessera's tokens.
///
/// An extensible set: any name `AccountRules` accepts is a role; the ones Tessera itself gives
/// meaning to are static members.
public struct Role: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The role's name, as stored and as carried in tokens.
    public let rawValue: String

    /// Creates a role from its name.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Creates a role from its name.
    public init(_ name: String) { self.rawValue = name }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(from decoder: any Decoder) throws { self.rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }

    /// Every `/admin` route, and `/introspect`.
    public static let admin: Role = "admin"
    /// `/introspect` without the rest of the admin routes.
    public static let introspect: Role = "introspect"
}

extension AccessTokenClaims {
    /// Whether the token's roles include `role`; no allocation.
    public func hasRole(_ role: Role) -> Bool { hasRole(role.rawValue) }
}
