public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
import Synchronization

/// Redis for many concurrent callers: their commands are pipelined on a few connections, and a
/// connection of its own is lent to a caller that needs one (`withConnection`).
///
/// `send` and `pipeline` take the next of `poolSize` connections in turn and write at once, without
/// waiting for the replies of earlier callers; each caller gets its own reply, or an error, within
/// the command timeout. Nothing blocks a thread: the connections are SwiftNIO channels. A connection
/// that broke or was closed (a timeout, a Redis restart) is replaced on its next use; a command in
/// flight on it fails and is never sent again.
///
/// Run it as a `Service` (it closes on graceful shutdown) or call `shutdown()` yourself.
public final class RedisConnectionPool: Service, Sendable {
    struct State: ~Copyable {
        var slots: [Slot]
        var nextSlot = 0
        var idleLeases: [RedisConnection] = []
        /// Lent connections, idle or in use, plus those being opened for a lease.
        var leaseCount = 0
        var leaseWaiters: [LeaseWaiter] = []
        var nextWaiterID = 0
        var isClosed = false
        /// Where the sentinels last said the master is (sentinel endpoints only).
        var announcedMaster: RedisEndpoint.Sentinel?
        /// Listens to the sentinels for `+switch-master` (sentinel endpoints only).
        var sentinelWatch: Task<Void, Never>?
    }

    /// One of the `poolSize` pipelining connections.
    enum Slot {
        case empty
        case connecting(Task<Result<RedisConnection, RedisError>, Never>)
        case connected(RedisConnection)
    }

    /// The configuration the pool was made with.
    public let configuration: RedisConfiguration
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    let state: Mutex<State>

    /// Creates the pool; no connection is opened until first use.
    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.state = Mutex(State(slots: Array(repeating: .empty, count: configuration.poolSize)))
        if case .sentinel(let sentinels, let masterName) = configuration.endpoint.address {
            let watch = Task { await self.watchSentinels(sentinels, masterName: masterName) }
            state.withLock { $0.sentinelWatch = watch }
        }
    }

    /// How many connections are open now, pipelining and lent; never more than `poolSize + maximumLeases`.
    public var openConnectionCount: Int {
        state.withLock { state in
            let pipelining = state.slots.count { slot in
                if case .connected(let connection) = slot { !connection.isClosed } else { false }
            }
            return pipelining + state.leaseCount - state.idleLeases.count(where: \.isClosed)
        }
    }

    /// Sends one command; an error reply is thrown as `RedisError` `.serverError`.
    ///
    /// - Throws: `RedisError` `.serverError`, `.timeout`, `.connectionLost`, `.connectionFailed` or
    ///   `.poolClosed`. A command whose reply did not come is never sent again.
    public func send(_ command: RedisCommand) async throws(RedisError) -> RedisValue {
        let reply: RedisValue
        do {
            reply = try await nextConnection().send(command)
        } catch  where error.wasNeverSent {
            // Its connection had closed before a byte was written (a restart or a failover not
            // yet seen when the connection was picked): another connection cannot run it twice.
            reply = try await nextConnection().send(command)
        }
        if case .error(let message) = reply {
            throw RedisError(.serverError, "Redis rejected \(command.name): \(message)")
        }
        return reply
    }

    /// Sends one command given as text words; an error reply is thrown.
    public func send(_ name: String, _ arguments: String...) async throws(RedisError) -> RedisValue {
        try await send(RedisCommand(name, arguments))
    }

    /// Sends several commands back to back on one connection and returns their replies in order,
    /// error replies in place: one round trip.
    ///
    /// - Throws: `RedisError` for a transport failure, as `send` does.
    public func pipeline(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisValue] {
        do {
            return try await nextConnection().pipeline(commands)
        } catch  where error.wasNeverSent {
            return try await nextConnection().pipeline(commands)
        }
    }

    /// What every call on a shut-down pool throws.
    static let closedError = RedisError(.poolClosed, "the Redis connection pool is shut down")

    /// Closes every connection; commands in flight and callers waiting fail with `.poolClosed`, and
    /// later calls too.
    public func shutdown() async {
        let (connections, connecting, waiters) = state.withLock { state in
            state.isClosed = true
            state.sentinelWatch?.cancel()
            var connections = state.idleLeases
            var connecting: [Task<Result<RedisConnection, RedisError>, Never>] = []
            for slot in state.slots {
                switch slot {
                case .connected(let connection): connections.append(connection)
                case .connecting(let task): connecting.append(task)
                case .empty: break
                }
            }
            state.slots = state.slots.map { _ in .empty }
            state.leaseCount -= state.idleLeases.count
            state.idleLeases.removeAll()
            defer { state.leaseWaiters.removeAll() }
            return (connections, connecting, state.leaseWaiters)
        }
        for waiter in waiters {
            waiter.resume(with: .failure(Self.closedError))
        }
        for connection in connections {
            connection.close(with: Self.closedError)
        }
        // Each closes what it opened once it sees the pool closed.
        for task in connecting {
            _ = await task.value
        }
    }

    /// Waits for graceful shutdown, then closes the pool. Order it before the services that use Redis.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// The next pipelining connection in turn, opened (or replaced) if need be.
    private func nextConnection() async throws(RedisError) -> RedisConnection {
        enum Next {
            case ready(RedisConnection)
            case opening(Task<Result<RedisConnection, RedisError>, Never>)
        }
        let next = try state.withLock { (state) throws(RedisError) -> Next in
            guard !state.isClosed else { throw Self.closedError }
            let index = state.nextSlot
            state.nextSlot = (index + 1) % state.slots.count
            switch state.slots[index] {
            case .connected(let connection) where !connection.isClosed:
                return .ready(connection)
            case .connecting(let task):
                return .opening(task)
            case .connected, .empty:
                let task = Task { await self.openConnection(slot: index) }
                state.slots[index] = .connecting(task)
                return .opening(task)
            }
        }
        switch next {
        case .ready(let connection): return connection
        case .opening(let task): return try await task.value.get()
        }
    }

    /// Opens the connection of one slot; every caller that picked the slot meanwhile waits for it.
    private func openConnection(slot index: Int) async -> Result<RedisConnection, RedisError> {
        let result: Result<RedisConnection, RedisError>
        do throws(RedisError) {
            result = .success(try await RedisConnection.connect(configuration: configuration, eventLoop: eventLoopGroup.next(), logger: logger))
        } catch {
            logger.debug("cannot open a Redis connection", metadata: ["tessera.error": "\(error)"])
            result = .failure(error)
        }
        let isClosed = state.withLock { state in
            state.slots[index] = state.isClosed ? .empty : (try? result.get()).map(Slot.connected) ?? .empty
            return state.isClosed
        }
        guard isClosed else { return result }
        if case .success(let connection) = result { connection.close(with: Self.closedError) }
        return .failure(Self.closedError)
    }
}
