import Hummingbird
import Logging
import RedisClient
import TesseraCore
import TesseraStore

/// `/healthz` (the process runs) and `/readyz` (Redis answers and the revocation view is within its staleness bound).
struct HealthRoutes {
    let store: EventStore
    let state: NodeState

    func register(on router: Router<TesseraRequestContext>) {
        router.get("/healthz") { _, _ in
            Response.json(#"{"status":"ok"}"#)
        }
        router.get("/readyz") { _, context in
            do {
                _ = try await store.pool.send("PING")
            } catch {
                context.logger.warning("not ready: Redis does not answer", metadata: ["tessera.error": "\(error)"])
                return Self.unavailable("redis")
            }
            guard state.isFresh() else { return Self.unavailable("revocation_view_stale") }
            return Response.json(#"{"status":"ok"}"#)
        }
    }

    private static func unavailable(_ reason: String) -> Response {
        Response.json(#"{"status":"unavailable","reason":"\#(reason)"}"#, status: .serviceUnavailable, headers: [.retryAfter: "1"])
    }
}
