/// The scope of a token: roles are the scopes, so a grant is the user's roles, narrowed to
/// the requested ones when a `scope` parameter asks for fewer.
public struct GrantedScope: Sendable, Equatable {
    /// The granted roles, in the user's order.
    public var roles: [String]

    /// The roles of `roles` that `requested` (space-separated) names; all of them when
    /// `requested` is nil or empty.
    public init(roles: [String], requested: String?) {
        guard let requested, !requested.isEmpty else {
            self.roles = roles
            return
        }
        let wanted = Set(requested.split(separator: " ").map(String.init))
        self.roles = roles.filter(wanted.contains)
    }

    /// The `scope` claim and answer: the roles joined by spaces (empty when none).
    public var text: String { roles.joined(separator: " ") }
}
