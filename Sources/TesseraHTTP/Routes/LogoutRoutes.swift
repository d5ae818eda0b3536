import Hummingbird
import HummingbirdAuth
import TesseraAuth
import TesseraCore

/// `POST /logout` (the caller's session) and `POST /logout/all` (every session of the caller).
struct LogoutRoutes {
    let sessions: SessionService

    func register(on signedIn: RouterGroup<TesseraRequestContext>) {
        signedIn.post("/logout") { _, context in
            Response.revoked(try await sessions.logout(try context.requireIdentity()))
        }
        signedIn.post("/logout/all") { _, context in
            Response.revoked(try await sessions.logoutEverywhere(try context.requireIdentity()))
        }
    }
}
