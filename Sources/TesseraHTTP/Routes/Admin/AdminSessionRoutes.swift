import Hummingbird
import TesseraAuth

/// `GET /admin/users/{username}/sessions` and `DELETE /admin/sessions/{sid}`.
struct AdminSessionRoutes {
    let admin: AdminService

    func register(on group: RouterGroup<TesseraRequestContext>) {
        group.get("users/:username/sessions") { _, context in
            SessionsBody(try await admin.sessions(ofUserNamed: try context.parameters.require("username")), currentSessionID: nil)
        }
        group.delete("sessions/:sid") { _, context in
            Response.revoked(try await admin.endSession(try context.parameters.require("sid")))
        }
    }
}
