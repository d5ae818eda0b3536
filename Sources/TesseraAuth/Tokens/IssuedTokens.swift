/// What a successful grant answers (RFC 6749 §5.1): a new access token and a new refresh token.
public struct IssuedTokens: Sendable, Equatable {
    /// The access token (a JWT).
    public var accessToken: String
    /// Seconds until the access token expires.
    public var expiresIn: Int64
    /// The refresh token (opaque); the session's only current one.
    public var refreshToken: String
    /// The granted scope: roles joined by spaces.
    public var scope: String

    /// Creates an answer.
    public init(accessToken: String, expiresIn: Int64, refreshToken: String, scope: String) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.scope = scope
    }
}
