public import Hummingbird
public import HummingbirdAuth
public import TesseraVerifier

/// Puts the verified claims of a request's `Authorization: Bearer` token in `context.identity`,
/// following hummingbird-auth's authenticator conventions.
///
/// No bearer token: no identity, and the request goes on (a public route still answers; put
/// ``RequireToken`` on the routes that need one). A bad or revoked token: 401 with
/// `WWW-Authenticate: Bearer error="invalid_token"`. A stale revocation view: 503 with
/// `Retry-After`, before the token is even looked at: the node fails closed.
///
/// ```swift
/// let router = Router(context: BasicAuthRequestContext<AccessTokenClaims>.self)
/// router.add(middleware: TesseraAuthenticator(verifier: verifier))
/// router.group("admin").add(middleware: RequireToken(role: "admin")).get { _, context in ... }
/// ```
public struct TesseraAuthenticator<Context: AuthRequestContext>: AuthenticatorMiddleware where Context.Identity == AccessTokenClaims {
    /// The verifier that checks tokens.
    public let verifier: TesseraVerifier
    /// The realm of the `WWW-Authenticate` challenges.
    public let realm: String

    /// Creates the middleware.
    public init(verifier: TesseraVerifier, realm: String = "api") {
        self.verifier = verifier
        self.realm = realm
    }

    /// The claims of the request's bearer token; nil when it carries none.
    /// - Throws: ``TesseraAuthError`` (401 or 503).
    public func authenticate(request: Request, context: Context) async throws -> AccessTokenClaims? {
        guard let token = try BearerToken.find(in: request, realm: realm) else {
            guard verifier.isFresh else { throw TesseraAuthError.unavailable(realm: realm) }
            return nil
        }
        do {
            return try await verifier.verify(token)
        } catch {
            throw error.code == .stale ? TesseraAuthError.unavailable(realm: realm) : TesseraAuthError.invalidToken(error.reason, realm: realm)
        }
    }
}

/// Lets a request through only with a verified token (else 401 with the bare `Bearer`
/// challenge), and, when roles are given, one whose `roles` hold at least one of them (else
/// 403 `insufficient_scope`).
public struct RequireToken<Context: AuthRequestContext>: RouterMiddleware where Context.Identity == AccessTokenClaims {
    /// Any one of these is enough; empty means any signed-in caller.
    public let roles: [String]
    /// The realm of the `WWW-Authenticate` challenges.
    public let realm: String

    /// Requires a signed-in caller with any one of `roles` (none: any signed-in caller).
    public init(anyOf roles: [String] = [], realm: String = "api") {
        self.roles = roles
        self.realm = realm
    }

    /// Requires a signed-in caller with `role`.
    public init(role: String, realm: String = "api") {
        self.init(anyOf: [role], realm: realm)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let identity = context.identity else { throw TesseraAuthError.missingToken(realm: realm) }
        if let first = roles.first, !roles.contains(where: { identity.hasRole($0) }) {
            throw TesseraAuthError.insufficientScope(first, realm: realm)
        }
        return try await next(request, context)
    }
}
