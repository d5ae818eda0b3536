import TesseraCore

/// Signs the access tokens of a deployment: its issuer, audience, lifetime and signing key.
public struct AccessTokenIssuer: Sendable {
    /// A signed access token and what the token answer says of it.
    public struct Issued: Sendable, Equatable {
        /// The compact JWS.
        public var token: String
        /// Its `jti`.
        public var tokenID: String
        /// Its `exp`, NumericDate seconds.
        public var expiresAt: Int64
        /// Its `scope`: the granted roles joined by spaces.
        public var scope: String

        /// `exp` in ms, as session projections keep times.
        public var expiresAtMilliseconds: Int64 { expiresAt * 1000 }
    }

    private let signer: TokenSigner
    private let issuer: String
    private let audience: String?
    /// How long a token lives.
    public let lifetime: Duration

    /// Creates an issuer over the configuration's signing key.
    public init(configuration: TesseraConfiguration) {
        self.signer = TokenSigner(keys: configuration.keys)
        self.issuer = configuration.issuer
        self.audience = configuration.audience
        self.lifetime = configuration.accessTokenTTL
    }

    /// When a token issued at `nowMilliseconds` expires, NumericDate seconds.
    public func expiry(issuedAtMilliseconds nowMilliseconds: Int64) -> Int64 {
        nowMilliseconds / 1000 + lifetime.wholeSeconds
    }

    /// Signs a token of a session for `scope`, expiring at `expiresAt` (seconds; by default
    /// the lifetime from now).
    public func issue(
        userID: String,
        username: String,
        sessionID: String,
        scope: GrantedScope,
        nowMilliseconds: Int64,
        expiresAt: Int64? = nil
    ) -> Issued {
        let tokenID = OpaqueToken.makeID()
        let expiresAt = expiresAt ?? expiry(issuedAtMilliseconds: nowMilliseconds)
        let claims = AccessTokenClaims(
            issuer: issuer,
            subject: userID,
            username: username,
            audience: audience,
            expiresAt: expiresAt,
            issuedAt: nowMilliseconds / 1000,
            tokenID: tokenID,
            sessionID: sessionID,
            roles: scope.roles,
            scope: scope.text
        )
        return Issued(token: signer.sign(claims), tokenID: tokenID, expiresAt: expiresAt, scope: scope.text)
    }
}
