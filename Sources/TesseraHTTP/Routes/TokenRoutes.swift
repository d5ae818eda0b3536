import HTTPTypes
import Hummingbird
import TesseraAuth

/// `POST /token`: the password grant (RFC 6749 §4.3) and the refresh grant (§6) with rotation.
struct TokenRoutes {
    let tokens: TokenService

    func register(on router: Router<TesseraRequestContext>) {
        router.post("/token") { request, context in
            let body = try await request.decodeOAuthBody(as: TokenRequest.self, context: context)
            let client = context.client(of: request)
            switch body.grantType ?? "password" {
            case "password":
                let username = try required(body.username, "username")
                let password = Array(try required(body.password, "password").utf8)
                return TokenResponse(
                    tokens: try await tokens.passwordGrant(username: username, password: password, scope: body.scope, client: client)
                )
            case "refresh_token":
                let refreshToken = try required(body.refreshToken, "refresh_token")
                return TokenResponse(tokens: try await tokens.refreshGrant(refreshToken: refreshToken, scope: body.scope, client: client))
            default:
                throw APIError.unsupportedGrantType
            }
        }
    }
}

extension TesseraRequestContext {
    /// Where the request came from, as the use cases want it.
    func client(of request: Request) -> ClientInfo {
        let client = clientAddress
        return ClientInfo(
            address: client?.description ?? "",
            rateLimitKey: client?.rateLimitKey ?? "",
            userAgent: request.headers[.userAgent] ?? ""
        )
    }
}
