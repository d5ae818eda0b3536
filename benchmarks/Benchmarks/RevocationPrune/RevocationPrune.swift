import Benchmark
import Foundation
import Synchronization
import TesseraCore

// What a token check costs while another thread prunes a revocation view of 1,000,000 entries,
// half of them expired, without pause. Until pruning moved its O(entries) filtering out of the
// view's lock, a check could wait for a whole prune (printed at the end, ms per prune); the
// p100 column is the longest any check now waits.

let benchmarks: @Sendable () -> Void = {
    let checks = Benchmark.Configuration(
        metrics: [.wallClock],
        timeUnits: .nanoseconds,
        warmupIterations: 1000,
        scalingFactor: .one,
        maxDuration: .seconds(15),
        maxIterations: 10_000_000
    )
    // The same checks on the same view with nobody pruning: its p100 is what this machine's
    // scheduler alone costs a check (a busy 2-core VM can take a thread off a core for ms).
    Benchmark(
        "Token check (3 lookups), 1M-entry view, no pruning",
        configuration: checks,
        closure: { _ in PruneLoad.idle.check() },
        setup: { PruneLoad.idle.load() },
        teardown: { PruneLoad.idle.report() }
    )
    Benchmark(
        "Token check (3 lookups) while another thread prunes 1M entries without pause",
        configuration: checks,
        closure: { _ in PruneLoad.shared.check() },
        setup: { PruneLoad.shared.start() },
        teardown: { PruneLoad.shared.stop() }
    )
}

/// The view and the thread that prunes it, shared by every iteration.
final class PruneLoad: Sendable {
    static let shared = PruneLoad(name: "while pruning")
    static let idle = PruneLoad(name: "no pruning")

    let name: String
    /// Checks that took over 100 µs and over 1 ms (timed again here, on the monotonic clock).
    private let over100Microseconds = Atomic(0)
    private let overMillisecond = Atomic(0)
    private let longestCheckNanoseconds = Atomic(0)

    init(name: String) {
        self.name = name
    }

    /// One token check, counted when it stalls.
    func check() {
        let started = ContinuousClock.now
        blackHole(view.verdict(for: PruneFixture.claims))
        let nanoseconds = Self.nanoseconds(ContinuousClock.now - started)
        if nanoseconds > 100_000 {
            over100Microseconds.add(1, ordering: .relaxed)
            if nanoseconds > 1_000_000 { overMillisecond.add(1, ordering: .relaxed) }
            longestCheckNanoseconds.max(nanoseconds, ordering: .relaxed)
        }
    }

    func load() {
        view.load(sessions: fresh, tokens: [:], notBefore: [:], position: .zero)
    }

    func report() {
        print(
            "\(name): checks over 100 µs: \(over100Microseconds.load(ordering: .relaxed)), over 1 ms: "
                + "\(overMillisecond.load(ordering: .relaxed)), longest \(longestCheckNanoseconds.load(ordering: .relaxed) / 1000) µs"
        )
    }

    static func nanoseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000)
    }

    let view = RevocationView()
    private let fresh = PruneFixture.sessions
    private let stopping = Atomic(false)
    private let prunes = Atomic(0)
    private let pruneNanoseconds = Atomic(0)
    private let longestPruneNanoseconds = Atomic(0)
    private let finished = Atomic(false)

    /// Starts pruning (the first round done before it returns, so every measured check has a
    /// prune around it).
    func start() {
        view.load(sessions: fresh, tokens: [:], notBefore: [:], position: .zero)
        let thread = Thread { [self] in
            while !stopping.load(ordering: .relaxed) {
                // Each round: 1M entries loaded (an O(1) swap under the lock), half dropped.
                view.load(sessions: fresh, tokens: [:], notBefore: [:], position: .zero)
                let started = ContinuousClock.now
                view.prune(now: PruneFixture.pruneAt)
                let took = ContinuousClock.now - started
                let nanoseconds = Self.nanoseconds(took)
                pruneNanoseconds.add(nanoseconds, ordering: .relaxed)
                longestPruneNanoseconds.max(nanoseconds, ordering: .relaxed)
                prunes.add(1, ordering: .relaxed)
            }
            finished.store(true, ordering: .releasing)
        }
        thread.start()
        while prunes.load(ordering: .relaxed) == 0 { usleep(1000) }
    }

    func stop() {
        stopping.store(true, ordering: .relaxed)
        while !finished.load(ordering: .acquiring) { usleep(1000) }
        report()
        let rounds = prunes.load(ordering: .relaxed)
        // What main's prune held the view's only lock for, every check waiting: one whole prune.
        print(
            "prunes of 1M entries (half expired) meanwhile: \(rounds), \(pruneNanoseconds.load(ordering: .relaxed) / max(rounds, 1) / 1_000_000) ms "
                + "each on average, longest \(longestPruneNanoseconds.load(ordering: .relaxed) / 1_000_000) ms"
        )
    }
}

enum PruneFixture {
    static let count = 1_000_000
    static let now = Int64(Date().timeIntervalSince1970) * 1000
    /// Between the two halves' expiry times.
    static let pruneAt = now + 450_000

    /// 1M session ids, Tessera-made: even ones expire before `pruneAt`, odd ones after.
    static let sessions: [String: Int64] = {
        var sessions: [String: Int64] = [:]
        sessions.reserveCapacity(count)
        for index in 0..<count { sessions[OpaqueToken.makeID()] = index.isMultiple(of: 2) ? now + 300_000 : now + 900_000 }
        return sessions
    }()

    /// A live token's claims (not revoked: each check does all three lookups).
    static let claims = AccessTokenClaims(
        issuer: "http://localhost:8080",
        subject: OpaqueToken.makeID(),
        username: "alice",
        expiresAt: now / 1000 + 900,
        issuedAt: now / 1000,
        tokenID: OpaqueToken.makeID(),
        sessionID: OpaqueToken.makeID(),
        roles: ["user"],
        scope: "user"
    )
}
