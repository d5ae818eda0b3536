import HTTPTypes
import Hummingbird
import HummingbirdAuth
import TesseraAuth
import TesseraCore
import TesseraStore

/// `POST /users` (registration), `GET /users/me`, `POST /users/me/password`.
struct UserRoutes {
    let accounts: AccountService

    func register(on router: Router<TesseraRequestContext>, signedIn: RouterGroup<TesseraRequestContext>) {
        router.post("/users") { request, context in
            let body = try await request.decode(as: RegistrationRequest.self, context: context)
            let user = try await accounts.signUp(username: body.username, password: Array(body.password.utf8), email: body.email)
            return EditedResponse(status: .created, response: UserBody(user))
        }
        signedIn.get("/users/me") { _, context in
            UserBody(try await accounts.profile(of: try context.requireIdentity()), includeCreatedAt: false)
        }
        signedIn.post("/users/me/password") { request, context in
            let caller = try context.requireIdentity()
            let body = try await request.decode(as: PasswordChangeRequest.self, context: context)
            let revocation = try await accounts.changePassword(
                of: caller,
                current: Array(body.currentPassword.utf8),
                new: Array(body.newPassword.utf8),
                client: context.client(of: request)
            )
            return Response.revoked(revocation)
        }
    }
}
