import Hummingbird
import Metrics
import NIOCore
import Prometheus
import TesseraCore
import TesseraStore

/// `GET /metrics`: Prometheus text format. Requests by route and status come from Hummingbird's
/// `MetricsMiddleware`, `tessera_verify_total{result}` from the authenticator,
/// `tessera_events_total{type}` from the follower; the revocation view's size and lag are
/// sampled at scrape time.
struct MetricsRoutes {
    let state: NodeState
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<TesseraRequestContext>) {
        router.get("/metrics") { _, _ in
            Gauge(label: "tessera_revocation_view_entries").record(state.revocations.count)
            if let lag = state.lag() {
                Gauge(label: "tessera_revocation_view_lag_seconds").record(Double(lag.wholeMilliseconds) / 1000)
            }
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
    }
}
