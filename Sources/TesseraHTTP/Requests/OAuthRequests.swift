import Hummingbird

/// The parameters of `POST /token` (RFC 6749 §4.3 and §6). `client_id`, `client_secret` and
/// any other parameter are accepted and ignored: Tessera has no client registry.
struct TokenRequest: OAuthParameters {
    var grantType: String?
    var username: String?
    var password: String?
    var refreshToken: String?
    var scope: String?

    enum CodingKeys: String, CodingKey {
        case grantType = "grant_type"
        case username, password, scope
        case refreshToken = "refresh_token"
    }

    init(form: FormParameters) {
        grantType = form[CodingKeys.grantType.rawValue]
        username = form[CodingKeys.username.rawValue]
        password = form[CodingKeys.password.rawValue]
        refreshToken = form[CodingKeys.refreshToken.rawValue]
        scope = form[CodingKeys.scope.rawValue]
    }
}

/// The parameters of `POST /revoke` (RFC 7009 §2.1) and `POST /introspect` (RFC 7662 §2.1).
struct TokenHandlingRequest: OAuthParameters {
    var token: String?
    var tokenTypeHint: String?

    enum CodingKeys: String, CodingKey {
        case token
        case tokenTypeHint = "token_type_hint"
    }

    init(form: FormParameters) {
        token = form[CodingKeys.token.rawValue]
        tokenTypeHint = form[CodingKeys.tokenTypeHint.rawValue]
    }
}

/// A required parameter: present and not empty.
/// - Throws: 400 `invalid_request` naming it.
func required(_ value: String?, _ name: String) throws(APIError) -> String {
    guard let value, !value.isEmpty else { throw APIError.invalidRequest("the '\(name)' parameter is required") }
    return value
}
