public import Logging
import Synchronization

/// Hashes and verifies passwords on dedicated threads, refusing work beyond its capacity.
///
/// libxcrypt's calls block for milliseconds (yescrypt) to hundreds of milliseconds (bcrypt
/// `$2b$12$`), so they run on `configuration.threads` threads of their own, never on the
/// Swift cooperative pool or an event loop. At most `threads + queueLimit` operations are
/// in flight; beyond that every call throws ``PasswordHasherError`` `overloaded` at once,
/// which the HTTP layer answers with 503 and `Retry-After`. Callers ask ``hasRoom()`` first,
/// which paces those refusals (see there).
///
/// Call ``shutdown()`` to stop the threads; releasing the hasher does it too. A started
/// operation always runs to completion, even when its task is cancelled.
public final class PasswordHasher: Sendable {
    private let pool: PasswordWorkerPool
    private let logger: Logger
    private let saturatedHold: Duration
    private let saturatedHoldLimit: Int
    /// Hash and verify operations run so far.
    private let operations = Atomic<Int>(0)
    /// Calls of ``hasRoom()`` waiting out `saturatedHold` now.
    private let holding = Atomic<Int>(0)

    /// Creates a hasher and starts its threads; runs no crypt call itself.
    public init(configuration: Configuration = .init(), logger: Logger) {
        self.logger = logger
        pool = PasswordWorkerPool(threadCount: configuration.threads, queueLimit: configuration.queueLimit)
        saturatedHold = configuration.saturatedHold
        saturatedHoldLimit = configuration.saturatedHoldLimit
        logger.debug(
            "password hasher started",
            metadata: [
                "tessera.password.threads": "\(configuration.threads)",
                "tessera.password.queue_limit": "\(configuration.queueLimit)",
            ]
        )
    }

    deinit {
        pool.shutdown()
    }

    /// The number of hash and verify operations run so far (including dummy verifications).
    public var operationCount: Int {
        operations.load(ordering: .relaxed)
    }

    /// Whether the calling thread is one of the hasher's workers.
    var isWorkerThread: Bool {
        pool.isWorkerThread
    }

    /// Operations running or waiting for a thread.
    var inFlightCount: Int {
        pool.inFlightCount
    }

    /// Whether every thread is busy and the queue is full, so that a new operation would be
    /// refused as `overloaded`. A cheap look, not a promise: callers use it to turn work away
    /// before spending anything else on it.
    public var isSaturated: Bool {
        pool.inFlightCount >= pool.threadCount + pool.queueLimit
    }

    /// Calls of ``hasRoom()`` waiting out their hold now.
    var heldCount: Int {
        holding.load(ordering: .relaxed)
    }

    /// Whether a password check should go ahead: `true` at once while the hasher is not
    /// saturated; otherwise, after waiting `saturatedHold` (500 ms by default), whether it has
    /// room by then. A request it turns away is answered 503, and a client that resends the
    /// moment it gets one (a load generator, a credential-stuffing script) would otherwise
    /// have the node parse and refuse thousands of requests a second: on the node's event
    /// loops, which the scheduler shares fairly with the hashing threads, so the flood would
    /// take the cores the hashing needs. Held, each connection is refused at most twice
    /// a second, and the hashing threads keep the cores. Waiting costs a suspended task and no
    /// thread; at most `saturatedHoldLimit` calls wait at once, beyond which the answer is
    /// `false` at once. Cancellation ends the wait early.
    public func hasRoom() async -> Bool {
        guard isSaturated else { return true }
        guard saturatedHold > .zero else { return false }
        let held = holding.add(1, ordering: .relaxed).newValue
        defer { holding.subtract(1, ordering: .relaxed) }
        guard held <= saturatedHoldLimit else { return false }
        try? await Task.sleep(for: saturatedHold)
        return !isSaturated
    }

    /// Hashes a new password with yescrypt (see ``PasswordHashing/hash(_:)``).
    /// - Throws: ``PasswordHasherError``: `overloaded`, `shutDown`, `invalidPassword` or
    ///   `hashingFailed`.
    public func hash(_ password: [UInt8]) async throws(PasswordHasherError) -> String {
        try await run { () throws(PasswordHasherError) -> String in try PasswordHashing.hash(password) }
    }

    /// Whether `password` matches the stored `hash` (see ``PasswordHashing/verify(_:against:)``);
    /// an unsupported or malformed hash gives `false`.
    ///
    /// A hash that costs more than the server allows (``PasswordHashing/costAboveCap(_:)``:
    /// a bcrypt cost-31 hash would hold a thread for hours) gives `false` at once, without
    /// taking a thread: it is logged with the reason, never the hash.
    /// - Throws: ``PasswordHasherError``: `overloaded` or `shutDown` only.
    public func verify(_ password: [UInt8], against hash: String) async throws(PasswordHasherError) -> Bool {
        if !PasswordHashing.isSupported(hash) {
            logger.warning("stored password hash is in an unsupported format")
        }
        if let reason = PasswordHashing.costAboveCap(hash) {
            logger.error(
                "stored password hash costs more than the server allows; the check fails without hashing",
                metadata: ["tessera.password.cost": "\(reason)"]
            )
            return false
        }
        return try await run { PasswordHashing.verify(password, against: hash) }
    }

    /// Does the work of a failed verification against a fixed dummy yescrypt hash, for a
    /// login with an unknown username, so that it costs as much as a wrong password.
    /// - Throws: ``PasswordHasherError``: `overloaded` or `shutDown` only.
    public func verifyAgainstDummy(_ password: [UInt8]) async throws(PasswordHasherError) {
        _ = try await verify(password, against: Self.dummyHash)
    }

    /// Stops the worker threads after their current operations; queued and later calls
    /// throw `shutDown`. Idempotent.
    public func shutdown() {
        pool.shutdown()
    }

    /// Runs `body` on a worker thread, counting it as an operation, or throws
    /// `overloaded`/`shutDown` without running it.
    func run<Value: Sendable>(
        _ body: @escaping @Sendable () throws(PasswordHasherError) -> Value
    ) async throws(PasswordHasherError) -> Value {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, PasswordHasherError>, Never>) in
            let submission = pool.submit { isShutDown in
                guard !isShutDown else { return { continuation.resume(returning: .failure(.shutDown)) } }
                self.operations.add(1, ordering: .relaxed)
                let result = Result(catching: body)
                return { continuation.resume(returning: result) }
            }
            switch submission {
            case .accepted:
                break
            case .overloaded:
                logger.debug("password hashing refused: all threads busy and queue full")
                continuation.resume(returning: .failure(.overloaded))
            case .shutDown:
                continuation.resume(returning: .failure(.shutDown))
            }
        }
        return try result.get()
    }

    /// A default-cost yescrypt hash of a password nobody knows. Fixed rather than made at
    /// start, so creating a hasher never runs crypt on the caller's thread; verifying against it
    /// costs what verifying a real yescrypt hash costs, and its match is never used (an unknown
    /// user fails whatever the password).
    private static let dummyHash = "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7"
}
