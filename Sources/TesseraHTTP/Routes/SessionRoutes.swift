import Hummingbird
import HummingbirdAuth
import TesseraAuth
import TesseraCore

/// `GET /users/me/sessions` and `DELETE /users/me/sessions/{sid}`.
struct SessionRoutes {
    let sessions: SessionService

    func register(on signedIn: RouterGroup<TesseraRequestContext>) {
        signedIn.get("/users/me/sessions") { _, context in
            let caller = try context.requireIdentity()
            return SessionsBody(try await sessions.sessions(of: caller), currentSessionID: caller.sessionID)
        }
        signedIn.delete("/users/me/sessions/:sid") { _, context in
            let sid = try context.parameters.require("sid")
            return Response.revoked(try await sessions.endSession(sid, of: try context.requireIdentity()))
        }
    }
}
