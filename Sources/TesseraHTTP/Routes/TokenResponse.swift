import HTTPTypes
import Hummingbird
import TesseraCore
import TesseraStore

/// The RFC 6749 §5.1 token answer, with `Cache-Control: no-store` and `Pragma: no-cache`.
struct TokenResponse {
    var accessToken: String
    var expiresIn: Int64
    var refreshToken: String
    var scope: String

    var response: Response {
        let body = JSONText.object([
            ("access_token", .string(accessToken)),
            ("token_type", .string("bearer")),
            ("expires_in", .int(expiresIn)),
            ("refresh_token", .string(refreshToken)),
            ("scope", .string(scope)),
        ])
        return Response.json(body, headers: [.cacheControl: "no-store", .pragma: "no-cache"])
    }
}

/// What a new access token says and how long it lives.
struct IssuedAccessToken {
    var token: String
    var tokenID: String
    var expiresAtMilliseconds: Int64
    var scope: String
}

extension TesseraNode {
    /// Signs an access token for a session. Scope is the user's roles, narrowed to `requestedScope` when given;
    /// the expiry is `now` + the access TTL unless `expiresAt` (seconds) fixes it.
    func issueAccessToken(
        for user: UserRecord,
        sessionID: String,
        requestedScope: String?,
        now: Int64,
        expiresAt fixedExpiry: Int64? = nil
    ) -> IssuedAccessToken {
        issueAccessToken(
            userID: user.id,
            username: user.username,
            roles: user.roles,
            sessionID: sessionID,
            requestedScope: requestedScope,
            now: now,
            expiresAt: fixedExpiry
        )
    }

    /// Signs an access token for a session from the user's id, name and roles alone (what the refresh
    /// script returns, so a refresh needs no second read of the user).
    func issueAccessToken(
        userID: String,
        username: String,
        roles: [String],
        sessionID: String,
        requestedScope: String?,
        now: Int64,
        expiresAt fixedExpiry: Int64? = nil
    ) -> IssuedAccessToken {
        let scope = Self.grantedScope(roles: roles, requested: requestedScope)
        let tokenID = OpaqueToken.makeID()
        let issuedAt = now / 1000
        let expiresAt = fixedExpiry ?? issuedAt + configuration.accessTokenTTL
        let claims = AccessTokenClaims(
            issuer: configuration.issuer,
            subject: userID,
            username: username,
            audience: configuration.audience,
            expiresAt: expiresAt,
            issuedAt: issuedAt,
            tokenID: tokenID,
            sessionID: sessionID,
            roles: scope.roles,
            scope: scope.text
        )
        return IssuedAccessToken(token: signer.sign(claims), tokenID: tokenID, expiresAtMilliseconds: expiresAt * 1000, scope: scope.text)
    }

    /// Roles are the scopes: all of them, or their intersection with the requested scope.
    static func grantedScope(roles: [String], requested: String?) -> (roles: [String], text: String) {
        guard let requested, !requested.isEmpty else { return (roles, roles.joined(separator: " ")) }
        let wanted = Set(requested.split(separator: " ").map(String.init))
        let granted = roles.filter(wanted.contains)
        return (granted, granted.joined(separator: " "))
    }
}

extension HTTPField.Name {
    /// `Pragma` (RFC 9111 §5.4), which RFC 6749 §5.1 asks token answers to set to `no-cache`.
    static let pragma = HTTPField.Name("Pragma")!
    /// `Tessera-Revocation-Id`: the last event a revoking call appended (API.md, receipts).
    static let revocationID = HTTPField.Name("Tessera-Revocation-Id")!
}
