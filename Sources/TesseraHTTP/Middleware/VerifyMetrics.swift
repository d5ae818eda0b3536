import Metrics
import Synchronization

/// `tessera_verify_total{result}`: token checks by outcome (`ok`, `missing`, or a
/// `TokenCheckFailure` label: `stale`, a revocation verdict or a `TokenRejection` reason). Counters are made once per result, so a
/// check costs one dictionary lookup under a lock, not a metrics-factory call.
final class VerifyMetrics: Sendable {
    private let counters = Mutex<[String: Counter]>([:])

    func record(_ result: String) {
        counters.withLock { counters in
            if let counter = counters[result] { return counter }
            let counter = Counter(label: "tessera_verify_total", dimensions: [("result", result)])
            counters[result] = counter
            return counter
        }.increment()
    }
}
