/// The claims of a Tessera access token (RFC 9068 profile).
///
/// Times are NumericDate: whole seconds since 1970-01-01T00:00:00Z.
///
/// The ids (`sub`, `jti`, `sid`) are held as ``OpaqueID``s and the roles as one
/// comma-joined string, so that verifying a token allocates nothing for them; the `String`
/// and `[String]` properties are made when read.
public struct AccessTokenClaims: Sendable, Equatable {
    /// `iss`: the issuer, compared exactly with the verifier's configured issuer.
    public var issuer: String
    /// `username`: the user's name in its stored form.
    public var username: String
    /// `aud`: the audience, when the deployment has one. For a token whose `aud` is an
    /// array, the verifier reports the configured audience it matched, else the first entry.
    public var audience: String?
    /// `exp`: the token is invalid from this second on.
    public var expiresAt: Int64
    /// `iat`: when the token was issued.
    public var issuedAt: Int64
    /// `nbf`: the token is invalid before this second, when set.
    public var notBefore: Int64?
    /// `scope`: space-separated scopes (the roles, possibly narrowed).
    public var scope: String

    var subjectID: ClaimID
    var tokenIDClaim: ClaimID
    var sessionIDClaim: ClaimID
    var roleList: RoleList

    /// `sub`: the user's stable id.
    public var subject: String {
        get { subjectID.string }
        set { subjectID = ClaimID(newValue) }
    }

    /// `jti`: this token's id, the handle for revoking it.
    public var tokenID: String {
        get { tokenIDClaim.string }
        set { tokenIDClaim = ClaimID(newValue) }
    }

    /// `sid`: the session the token belongs to.
    public var sessionID: String {
        get { sessionIDClaim.string }
        set { sessionIDClaim = ClaimID(newValue) }
    }

    /// `roles`: the user's roles.
    public var roles: [String] {
        get { roleList.roles }
        set { roleList = RoleList(newValue) }
    }

    /// The roles joined by commas, as `X-Auth-Roles` carries them.
    public var commaSeparatedRoles: String { roleList.commaSeparated }

    /// Whether the roles include `role`; no allocation.
    public func hasRole(_ role: some StringProtocol) -> Bool { roleList.contains(role) }

    /// Creates claims from their values.
    public init(
        issuer: String,
        subject: String,
        username: String,
        audience: String? = nil,
        expiresAt: Int64,
        issuedAt: Int64,
        notBefore: Int64? = nil,
        tokenID: String,
        sessionID: String,
        roles: [String],
        scope: String
    ) {
        self.init(
            issuer: issuer,
            subjectID: ClaimID(subject),
            username: username,
            audience: audience,
            expiresAt: expiresAt,
            issuedAt: issuedAt,
            notBefore: notBefore,
            tokenIDClaim: ClaimID(tokenID),
            sessionIDClaim: ClaimID(sessionID),
            roleList: RoleList(roles),
            scope: scope
        )
    }

    init(
        issuer: String,
        subjectID: ClaimID,
        username: String,
        audience: String?,
        expiresAt: Int64,
        issuedAt: Int64,
        notBefore: Int64?,
        tokenIDClaim: ClaimID,
        sessionIDClaim: ClaimID,
        roleList: RoleList,
        scope: String
    ) {
        self.issuer = issuer
        self.subjectID = subjectID
        self.username = username
        self.audience = audience
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.tokenIDClaim = tokenIDClaim
        self.sessionIDClaim = sessionIDClaim
        self.roleList = roleList
        self.scope = scope
    }
}

/// A token's roles: joined by commas when no role is empty or holds a comma (every role
/// `AccountRules` accepts), else the list as it came. Every list has exactly one
/// `RoleList`, so equal lists give equal values.
enum RoleList: Sendable, Equatable {
    /// The roles joined by `,`; the empty string is no roles.
    case joined(String)
    case list([String])

    init(_ roles: [String]) {
        var builder = Builder()
        for role in roles { builder.append(role) }
        self = builder.roleList
    }

    /// Builds a `RoleList` a role at a time; the one place that decides between the two
    /// forms, so a list read from a token and the same list given whole are equal.
    struct Builder {
        private var joined = ""
        private var list: [String]?

        mutating func append(_ role: String) {
            if list != nil {
                list!.append(role)
            } else if RoleList.canJoin(role) {
                // Joined roles are never empty, so an empty `joined` means no roles yet.
                if !joined.isEmpty { joined.append(",") }
                joined.append(role)
            } else {
                list = RoleList.joined(joined).roles + [role]
            }
        }

        var roleList: RoleList { list.map(RoleList.list) ?? .joined(joined) }
    }

    /// Whether `role` can be part of a `.joined` list.
    static func canJoin(_ role: some StringProtocol) -> Bool {
        !role.isEmpty && !role.utf8.contains(UInt8(ascii: ","))
    }

    var roles: [String] {
        switch self {
        case .joined(let joined): joined.isEmpty ? [] : joined.split(separator: ",").map(String.init)
        case .list(let roles): roles
        }
    }

    var commaSeparated: String {
        switch self {
        case .joined(let joined): joined
        case .list(let roles): roles.joined(separator: ",")
        }
    }

    func contains(_ role: some StringProtocol) -> Bool {
        switch self {
        case .list(let roles):
            return roles.contains { $0.utf8.elementsEqual(role.utf8) }
        case .joined(let joined):
            guard Self.canJoin(role) else { return false }
            let utf8 = joined.utf8
            var start = utf8.startIndex
            while start < utf8.endIndex {
                let end = utf8[start...].firstIndex(of: UInt8(ascii: ",")) ?? utf8.endIndex
                if utf8[start..<end].elementsEqual(role.utf8) { return true }
                start = end < utf8.endIndex ? utf8.index(after: end) : end
            }
            return false
        }
    }
}
