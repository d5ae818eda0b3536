import HTTPTypes
import Hummingbird
import HummingbirdAuth
import TesseraCore

/// `/auth/verify` for gateways (nginx `auth_request`, Traefik ForwardAuth, Envoy ext_authz):
/// every method and every sub-path, 200 with `X-Auth-*` headers or 401/403/503.
///
/// The hot path over HTTP: signature, claims and three in-memory lookups; no Redis call.
struct VerifyRoutes {
    static let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]

    func register(on signedIn: RouterGroup<TesseraRequestContext>) {
        for path in ["/auth/verify", "/auth/verify/**"] {
            for method in Self.methods {
                signedIn.on(RouterPath(path), method: method) { request, context in try Self.verify(request, context: context) }
            }
        }
    }

    static func verify(_ request: Request, context: TesseraRequestContext) throws -> Response {
        let claims = try context.requireIdentity()
        if let role = request.uri.queryParameters["role"], !claims.hasRole(role) {
            throw APIError.insufficientScope(Role(String(role)))
        }
        var headers = HTTPFields()
        headers.reserveCapacity(4)
        headers[.authSubject] = claims.subject
        headers[.authUsername] = claims.username
        headers[.authRoles] = claims.commaSeparatedRoles
        headers[.authSession] = claims.sessionID
        return Response(status: .ok, headers: headers)
    }
}

extension HTTPField.Name {
    static let authSubject = HTTPField.Name("X-Auth-Subject")!
    static let authUsername = HTTPField.Name("X-Auth-Username")!
    static let authRoles = HTTPField.Name("X-Auth-Roles")!
    static let authSession = HTTPField.Name("X-Auth-Session")!
}
