import Hummingbird
import TesseraCore
import TesseraStore

/// `POST /logout` (the caller's session) and `POST /logout/all` (every session of the caller).
struct LogoutRoutes {
    let node: TesseraNode
    let authenticator: Authenticator

    func register(on router: Router<TesseraRequestContext>) {
        router.post("/logout") { request, _ in
            let claims = try authenticator.authenticate(request)
            return try await revoke(userID: claims.subject, scope: .one(claims.sessionID), reason: "logout")
        }
        router.post("/logout/all") { request, _ in
            let claims = try authenticator.authenticate(request)
            return try await revoke(userID: claims.subject, scope: .all, reason: "logout_all")
        }
    }

    private func revoke(userID: String, scope: EventStore.SessionScope, reason: String) async throws -> Response {
        try await node.answerRevocation(node.store.revokeSessions(userID: userID, scope: scope, reason: reason), ifRejected: nil)
    }
}
