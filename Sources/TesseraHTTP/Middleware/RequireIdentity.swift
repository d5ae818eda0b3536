import Hummingbird
import HummingbirdAuth
import TesseraCore

/// Lets a request through only with a verified token, and, when `roles` is not empty, one
/// that holds at least one of them (else 403 `insufficient_scope` naming the first).
struct RequireIdentity: RouterMiddleware {
    typealias Context = TesseraRequestContext
    /// Any one of these roles is enough; none means any signed-in caller.
    let roles: [Role]

    init(anyOf roles: [Role] = []) {
        self.roles = roles
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let identity = try context.requireIdentity()
        if let first = roles.first, !roles.contains(where: identity.hasRole) {
            throw APIError.insufficientScope(first)
        }
        return try await next(request, context)
    }
}
