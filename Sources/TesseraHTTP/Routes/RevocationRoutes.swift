import HTTPTypes
import Hummingbird
import TesseraAuth
import TesseraCore

/// `POST /revoke` (RFC 7009) and `POST /introspect` (RFC 7662).
struct RevocationRoutes {
    let sessions: SessionService

    func register(on router: Router<TesseraRequestContext>, introspectors: RouterGroup<TesseraRequestContext>) {
        // Holding the token is the authority, as with logout: no client authentication.
        router.post("/revoke") { request, context in
            let body = try await request.decodeOAuthBody(as: TokenHandlingRequest.self, context: context)
            let revocation = try await sessions.revoke(token: try required(body.token, "token"), hint: body.tokenTypeHint)
            return Response.revoked(revocation, status: .ok, headers: [.cacheControl: "no-store"])
        }
        introspectors.post("/introspect") { request, context in
            let body = try await request.decodeOAuthBody(as: TokenHandlingRequest.self, context: context)
            let answer = try await sessions.introspect(token: try required(body.token, "token"), hint: body.tokenTypeHint)
            return EditedResponse(headers: [.cacheControl: "no-store"], response: IntrospectionBody(answer))
        }
    }
}
