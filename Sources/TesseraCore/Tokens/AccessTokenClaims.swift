/// The claims of a Tessera access token (RFC 9068 profile).
///
/// Times are NumericDate: whole seconds since 1970-01-01T00:00:00Z.
public struct AccessTokenClaims: Sendable, Equatable {
    /// `iss`: the issuer, compared exactly with the verifier's configured issuer.
    public var issuer: String
    /// `sub`: the user's stable id.
    public var subject: String
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
    /// `jti`: this token's id, the handle for revoking it.
    public var tokenID: String
    /// `sid`: the session the token belongs to.
    public var sessionID: String
    /// `roles`: the user's roles.
    public var roles: [String]
    /// `scope`: space-separated scopes (the roles, possibly narrowed).
    public var scope: String

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
        self.issuer = issuer
        self.subject = subject
        self.username = username
        self.audience = audience
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.tokenID = tokenID
        self.sessionID = sessionID
        self.roles = roles
        self.scope = scope
    }
}
