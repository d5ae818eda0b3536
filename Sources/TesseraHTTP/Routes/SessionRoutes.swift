import Hummingbird
import TesseraCore
import TesseraStore

/// `GET /users/me/sessions` and `DELETE /users/me/sessions/{sid}`.
struct SessionRoutes {
    let node: TesseraNode
    let authenticator: Authenticator

    func register(on router: Router<TesseraRequestContext>) {
        router.get("/users/me/sessions") { request, _ in
            let claims = try authenticator.authenticate(request)
            let sessions = try await node.store.liveSessions(ofUser: claims.subject, now: Timestamp.nowMilliseconds())
            return Response.json(SessionJSON.render(sessions, currentSessionID: claims.sessionID))
        }
        router.delete("/users/me/sessions/:sid") { request, context in
            let claims = try authenticator.authenticate(request)
            let sid = try context.parameters.require("sid")
            return try await node.answerRevocation(
                node.store.revokeSessions(userID: claims.subject, scope: .one(sid), reason: "logout"),
                ifRejected: .notFound("no such session")
            )
        }
    }
}
