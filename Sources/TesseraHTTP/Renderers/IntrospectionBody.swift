import Hummingbird
import TesseraAuth
import TesseraCore
import TesseraStore

/// RFC 7662 §2.2: `{"active":false}`, or the active token's claims.
struct IntrospectionBody: ResponseEncodable {
    var active: Bool
    var tokenType: String?
    var sub: String?
    var username: String?
    var scope: String?
    var roles: [String]?
    var sid: String?
    var jti: String?
    var exp: Int64?
    var iat: Int64?
    var iss: String?
    var aud: String?

    enum CodingKeys: String, CodingKey {
        case active, sub, username, scope, roles, sid, jti, exp, iat, iss, aud
        case tokenType = "token_type"
    }

    init(_ introspection: Introspection) {
        switch introspection {
        case .inactive:
            active = false
        case .accessToken(let claims):
            active = true
            tokenType = "access_token"
            sub = claims.subject
            username = claims.username
            scope = claims.scope
            roles = claims.roles
            sid = claims.sessionID
            jti = claims.tokenID
            exp = claims.expiresAt
            iat = claims.issuedAt
            iss = claims.issuer
            aud = claims.audience
        case .refreshToken(let info):
            active = true
            tokenType = "refresh_token"
            sub = info.user.id
            username = info.user.username
            scope = info.user.roles.joined(separator: " ")
            roles = info.user.roles
            sid = info.session.sessionID
            exp = info.session.expiresAt / 1000
            iat = info.session.lastUsedAt / 1000
            iss = info.issuer
        }
    }
}
