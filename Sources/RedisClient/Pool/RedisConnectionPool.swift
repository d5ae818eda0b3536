public import Logging
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// A bounded pool of hiredis connections, driven by threads of its own.
///
/// Callers get `async` functions; every blocking hiredis call runs on one of the pool's
/// `poolSize` dedicated threads, never on an event loop or the cooperative pool. At most
/// `poolSize` connections exist; a caller beyond that waits for one to be returned. A connection
/// that broke (I/O error, timeout) or whose idle socket shows the server went away (a Redis
/// restart) is discarded and replaced by a fresh one on the next use.
///
/// Run it as a `Service` (it closes on graceful shutdown) or call `shutdown()` yourself.
public final class RedisConnectionPool: Service, Sendable {
    private struct State: ~Copyable {
        var idle: [RedisConnection] = []
        var openCount = 0
        var permits: Int
        var waiters: [CheckedContinuation<Void, any Error>] = []
        var isClosed = false
    }

    /// The configuration the pool was made with.
    public let configuration: RedisConfiguration
    private let logger: Logger
    private let threads: NIOThreadPool
    private let state: Mutex<State>

    /// Creates the pool and starts its threads; no connection is opened until first use.
    public init(configuration: RedisConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.threads = NIOThreadPool(numberOfThreads: configuration.poolSize)
        self.state = Mutex(State(permits: configuration.poolSize))
        threads.start()
    }

    /// How many connections are open now (idle or in use); never more than `poolSize`.
    public var openConnectionCount: Int {
        state.withLock { $0.openCount }
    }

    /// Sends one command; an error reply is thrown as `RedisError` `.serverError`.
    public func send(_ command: RedisCommand) async throws(RedisError) -> RedisValue {
        let reply = try await withConnection { connection throws(RedisError) in try connection.send(command) }
        if case .error(let message) = reply {
            throw RedisError(.serverError, "Redis rejected \(command.name): \(message)")
        }
        return reply
    }

    /// Sends one command given as text words; an error reply is thrown.
    public func send(_ name: String, _ arguments: String...) async throws(RedisError) -> RedisValue {
        try await send(RedisCommand(name, arguments))
    }

    /// Sends several commands in one round trip and returns their replies in order, error replies in place.
    public func pipeline(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisValue] {
        try await withConnection { connection throws(RedisError) in try connection.pipeline(commands) }
    }

    /// Runs `body` with exclusive use of one connection, on one of the pool's threads.
    ///
    /// `body` may block (it runs on a pool thread) and must not keep the connection.
    /// - Throws: what `body` throws, or `RedisError` when no connection could be made or the pool is closed.
    public func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (RedisConnection) throws(RedisError) -> Result
    ) async throws(RedisError) -> Result {
        try await acquirePermit()
        defer { releasePermit() }
        let configuration = self.configuration
        do {
            return try await threads.runIfActive { [self] in
                var connection = state.withLock { $0.idle.popLast() }
                if let existing = connection, existing.looksStale {
                    connection = nil
                    state.withLock { $0.openCount -= 1 }
                }
                let active: RedisConnection
                if let connection {
                    active = connection
                } else {
                    active = try RedisConnection(configuration: configuration)
                    state.withLock { $0.openCount += 1 }
                }
                defer {
                    state.withLock { state in
                        if active.isBroken || state.isClosed {
                            state.openCount -= 1
                        } else {
                            state.idle.append(active)
                        }
                    }
                }
                return try body(active)
            }
        } catch let error as RedisError {
            throw error
        } catch {
            throw Self.closedError
        }
    }

    /// What every call on a shut-down pool throws.
    private static let closedError = RedisError(.poolClosed, "the Redis connection pool is shut down")

    /// Closes every connection and stops the threads; later calls fail with `.poolClosed`.
    public func shutdown() async {
        let waiters = state.withLock { state in
            state.isClosed = true
            state.openCount -= state.idle.count
            state.idle.removeAll()
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters {
            waiter.resume(throwing: Self.closedError)
        }
        try? await threads.shutdownGracefully()
    }

    /// Waits for graceful shutdown, then closes the pool. Order it before the services that use Redis.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    private func acquirePermit() async throws(RedisError) {
        let acquired: Bool = try state.withLock { (state) throws(RedisError) -> Bool in
            if state.isClosed { throw Self.closedError }
            guard state.permits > 0 else { return false }
            state.permits -= 1
            return true
        }
        if acquired { return }
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case acquired, closed, waiting }
                let outcome = state.withLock { state -> Outcome in
                    if state.isClosed { return .closed }
                    if state.permits > 0 {
                        state.permits -= 1
                        return .acquired
                    }
                    state.waiters.append(continuation)
                    return .waiting
                }
                switch outcome {
                case .acquired: continuation.resume()
                case .closed: continuation.resume(throwing: Self.closedError)
                case .waiting: break
                }
            }
        } catch let error as RedisError {
            throw error
        } catch {
            throw Self.closedError
        }
    }

    private func releasePermit() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.permits += 1
            return nil
        }
        next?.resume()
    }
}
