import Metrics

/// The verifier's health as swift-metrics gauges, updated four times a second:
/// `tessera_verifier_fresh` (1 or 0), `tessera_verifier_lag_seconds` (since the view was last
/// caught up with the log; absent until the snapshot is loaded) and `tessera_verifier_revocations`.
struct VerifierMetrics: Sendable {
    private let fresh = Gauge(label: "tessera_verifier_fresh")
    private let lag = Gauge(label: "tessera_verifier_lag_seconds")
    private let revocations = Gauge(label: "tessera_verifier_revocations")

    func record(isFresh: Bool, lag: Duration?, revocations count: Int) {
        fresh.record(isFresh ? 1 : 0)
        if let lag {
            let (seconds, attoseconds) = lag.components
            self.lag.record(Double(seconds) + Double(attoseconds) / 1e18)
        }
        revocations.record(count)
    }
}
