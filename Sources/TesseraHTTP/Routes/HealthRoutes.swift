import Hummingbird
import Logging
import RedisClient
import TesseraCore
import TesseraStore

/// `/healthz` (the process runs) and `/readyz` (Redis answers and the revocation view is within its staleness bound).
struct HealthRoutes {
    let store: EventStore
    let follower: RevocationFollower

    func register(on router: Router<TesseraRequestContext>) {
        router.get("/healthz") { _, _ in
            Response.json(#"{"status":"ok"}"#)
        }
        router.get("/readyz") { _, context in
            do {
                _ = try await store.pool.send("PING")
            } catch {
                context.logger.warning("not ready: Redis does not answer", metadata: ["tessera.error": "\(error)"])
                return Response.json(
                    #"{"status":"unavailable","reason":"redis"}"#,
                    status: .serviceUnavailable,
                    headers: [.retryAfter: "1"]
                )
            }
            guard follower.isFresh(now: Timestamp.nowMilliseconds()) else {
                return Response.json(
                    #"{"status":"unavailable","reason":"revocation_view_stale"}"#,
                    status: .serviceUnavailable,
                    headers: [.retryAfter: "1"]
                )
            }
            return Response.json(#"{"status":"ok"}"#)
        }
    }
}
