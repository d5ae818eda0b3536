public import TesseraCore
public import TesseraStore

/// What RFC 7662 introspection found for a token.
public enum Introspection: Sendable {
    /// Not an active token of this deployment (unknown, expired, revoked, malformed, disabled user).
    case inactive
    /// A valid, unrevoked access token.
    case accessToken(AccessTokenClaims)
    /// The current refresh token of a live session of an enabled user.
    case refreshToken(RefreshTokenInfo)

    /// An active refresh token's session and user.
    public struct RefreshTokenInfo: Sendable {
        public var session: SessionRecord
        public var user: UserRecord
        /// The deployment's issuer.
        public var issuer: String
    }
}
