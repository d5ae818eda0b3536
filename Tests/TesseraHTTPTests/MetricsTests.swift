import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Metrics
import Prometheus
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraStore
import TesseraTestSupport
import Testing

/// The test process bootstraps swift-metrics once, as `tessera serve` does.
let testMetricsRegistry: PrometheusCollectorRegistry = {
    let registry = PrometheusCollectorRegistry()
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    return registry
}()

@Suite(.redisServer) struct MetricsTests {
    @Test func metricsCountRequestsVerifyResultsEventsAndTheViewsLag() async throws {
        let registry = testMetricsRegistry
        let test = try await TestNode.make(metricsRegistry: registry)
        try await test.app.test(.router) { client in
            try await client.registerUser("measured")
            let token = try #require(try await client.login("measured").string("access_token"))
            #expect(try await client.send(.get, "/auth/verify", headers: bearer(token)).status == .ok)
            #expect(try await client.send(.get, "/auth/verify", headers: bearer("garbage")).status == .unauthorized)
            #expect(try await client.send(.post, "/logout", headers: bearer(token)).status == .noContent)
            #expect(try await client.send(.get, "/auth/verify", headers: bearer(token)).status == .unauthorized)
            _ = try await waitUntil { test.node.state.appliedPosition == (try await test.node.store.head() ?? .zero) }

            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = metrics.body
            #expect(text.contains(#"tessera_verify_total{result="ok"}"#))
            #expect(text.contains(#"tessera_verify_total{result="malformed"}"#))
            #expect(text.contains(#"tessera_verify_total{result="session_revoked"}"#))
            #expect(text.contains(#"tessera_events_total{type="SessionRevoked"}"#))
            #expect(text.contains("tessera_revocation_view_entries 1"))
            #expect(text.contains("tessera_revocation_view_lag_seconds"))
            #expect(text.contains("hb_requests"), "requests by route and status")
            #expect(text.contains(#"http_route="/auth/verify""#) || text.contains("/auth/verify"))
        }
        await test.shutdown()
    }
}
