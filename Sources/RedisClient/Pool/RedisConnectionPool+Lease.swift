import NIOCore
import Synchronization

extension RedisConnectionPool {
    /// Runs `body` with a connection of its own: nobody else's commands go to it meanwhile, so
    /// WATCH … MULTI … EXEC on it is one caller's transaction.
    ///
    /// The connection is lent, never one of the pipelining connections; at most `maximumLeases`
    /// are lent at once. A caller beyond that waits, at most `leaseTimeoutMilliseconds`, and at most
    /// `maximumLeaseWaiters` callers wait. `body` must not keep the connection. When `body` throws,
    /// the connection is closed rather than lent again, since a transaction may be left open on it.
    /// - Throws: what `body` throws, or `RedisError` `.timeout` (no connection became free in time),
    ///   `.poolExhausted` (too many callers wait already), `.connectionFailed` or `.poolClosed`.
    public func withConnection<Value>(
        _ body: (RedisConnection) async throws(RedisError) -> Value
    ) async throws(RedisError) -> Value {
        let connection = try await lease()
        let value: Value
        do throws(RedisError) {
            value = try await body(connection)
        } catch {
            returnLease(connection, isReusable: false)
            throw error
        }
        returnLease(connection, isReusable: true)
        return value
    }

    /// What a caller waiting for a lease is given.
    enum LeaseGrant {
        /// An idle lent connection.
        case connection(RedisConnection)
        /// Room to open a connection of its own (already counted in `leaseCount`).
        case room
    }

    /// A caller waiting for a lease, resumed exactly once: by a returned lease, a timeout or shutdown.
    struct LeaseWaiter {
        var id: Int
        var continuation: CheckedContinuation<Result<LeaseGrant, RedisError>, Never>
        var timeout: Scheduled<Void>?

        func resume(with result: Result<LeaseGrant, RedisError>) {
            timeout?.cancel()
            continuation.resume(returning: result)
        }
    }

    private func lease() async throws(RedisError) -> RedisConnection {
        let grant = await withCheckedContinuation { (continuation: CheckedContinuation<Result<LeaseGrant, RedisError>, Never>) in
            let waiterID = state.withLock { state -> Int? in
                if let grant = immediateGrant(&state) {
                    continuation.resume(returning: grant)
                    return nil
                }
                let id = state.nextWaiterID
                state.nextWaiterID += 1
                state.leaseWaiters.append(LeaseWaiter(id: id, continuation: continuation))
                return id
            }
            guard let waiterID else { return }
            let timeout = eventLoopGroup.any().scheduleTask(in: .milliseconds(Int64(configuration.leaseTimeoutMilliseconds))) {
                self.expireLeaseWaiter(waiterID)
            }
            state.withLock { state in
                if let index = state.leaseWaiters.firstIndex(where: { $0.id == waiterID }) {
                    state.leaseWaiters[index].timeout = timeout
                } else {
                    timeout.cancel()
                }
            }
        }
        switch try grant.get() {
        case .connection(let connection):
            return connection
        case .room:
            do throws(RedisError) {
                return try await RedisConnection.connect(configuration: configuration, eventLoop: eventLoopGroup.next(), logger: logger)
            } catch {
                giveUpLeaseRoom()
                throw error
            }
        }
    }

    /// A lease now, or nil when the caller must wait; throws when it must not.
    private func immediateGrant(_ state: inout State) -> Result<LeaseGrant, RedisError>? {
        guard !state.isClosed else { return .failure(Self.closedError) }
        while let idle = state.idleLeases.popLast() {
            if !idle.isClosed { return .success(.connection(idle)) }
            state.leaseCount -= 1
        }
        if state.leaseCount < configuration.maximumLeases {
            state.leaseCount += 1
            return .success(.room)
        }
        guard state.leaseWaiters.count < configuration.maximumLeaseWaiters else {
            return .failure(
                RedisError(
                    .poolExhausted,
                    "all \(configuration.maximumLeases) Redis connections for exclusive use are lent out and "
                        + "\(configuration.maximumLeaseWaiters) callers already wait for one"
                )
            )
        }
        return nil
    }

    /// Takes a lent connection back: to the next waiter, to the idle ones, or closed.
    private func returnLease(_ connection: RedisConnection, isReusable: Bool) {
        enum Next {
            case keep
            case close
            case handOver(LeaseWaiter, LeaseGrant)
        }
        let isReusable = isReusable && !connection.isClosed
        let next = state.withLock { state -> Next in
            if !state.leaseWaiters.isEmpty {
                return .handOver(state.leaseWaiters.removeFirst(), isReusable ? .connection(connection) : .room)
            }
            if isReusable && !state.isClosed {
                state.idleLeases.append(connection)
                return .keep
            }
            state.leaseCount -= 1
            return .close
        }
        switch next {
        case .keep: break
        case .close: connection.close()
        case .handOver(let waiter, let grant):
            if case .room = grant { connection.close() }
            waiter.resume(with: .success(grant))
        }
    }

    /// A lease's connection could not be opened: its room goes to the next waiter, if any.
    private func giveUpLeaseRoom() {
        let waiter = state.withLock { state -> LeaseWaiter? in
            if state.leaseWaiters.isEmpty {
                state.leaseCount -= 1
                return nil
            }
            return state.leaseWaiters.removeFirst()
        }
        waiter?.resume(with: .success(.room))
    }

    private func expireLeaseWaiter(_ id: Int) {
        let waiter = state.withLock { state -> LeaseWaiter? in
            guard let index = state.leaseWaiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.leaseWaiters.remove(at: index)
        }
        waiter?.continuation.resume(
            returning: .failure(
                RedisError(
                    .timeout,
                    "waited \(configuration.leaseTimeoutMilliseconds) ms for a Redis connection for exclusive use; "
                        + "all \(configuration.maximumLeases) are lent out"
                )
            )
        )
    }
}
