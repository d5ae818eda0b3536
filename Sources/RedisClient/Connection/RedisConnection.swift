public import Logging
public import NIOCore
public import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One connection to Redis: a SwiftNIO channel whose handler formats commands and parses replies
/// with hiredis on the channel's event loop.
///
/// Commands from concurrent callers are written at once, without waiting for earlier replies, and
/// each caller gets its own reply. Every command has a deadline (`commandTimeoutMilliseconds`); a
/// command that misses it fails with `.timeout` and closes the connection, and every other command
/// then in flight fails with `.connectionLost`. A command is never sent twice: a caller that got an
/// error does not know whether its command ran. A closed connection stays closed; make a new one.
public final class RedisConnection: Sendable {
    /// The server this connection talks to.
    public let endpoint: RedisEndpoint
    private let channel: any Channel
    private let handler: NIOLoopBound<RedisChannelHandler>
    private let commandTimeout: TimeAmount

    private init(endpoint: RedisEndpoint, channel: any Channel, handler: NIOLoopBound<RedisChannelHandler>, commandTimeout: TimeAmount) {
        self.endpoint = endpoint
        self.channel = channel
        self.handler = handler
        self.commandTimeout = commandTimeout
    }

    /// Connects, then runs AUTH and SELECT as the endpoint asks, all within the connect timeout.
    ///
    /// For a `redis-sentinel://` endpoint it first asks the sentinels, in turn, for the master, and
    /// checks with `ROLE` that the server it reached is one; the connection's ``endpoint`` is then
    /// the master's address.
    /// - Throws: `RedisError` `.connectionFailed` (`cannot reach Redis at HOST:PORT: REASON`), `.timeout`,
    ///   or `.authenticationFailed`.
    public static func connect(
        configuration: RedisConfiguration,
        eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any(),
        logger: Logger
    ) async throws(RedisError) -> RedisConnection {
        let endpoint = configuration.endpoint
        let direct: (address: RedisEndpoint.Address, connect: (ClientBootstrap) -> EventLoopFuture<any Channel>)
        switch endpoint.address {
        case .tcp(let host, let port): direct = (endpoint.address, { $0.connect(host: host, port: port) })
        case .unix(let path): direct = (endpoint.address, { $0.connect(unixDomainSocketPath: path) })
        case .sentinel(let sentinels, let masterName):
            return try await RedisSentinel.connectToMaster(
                configuration: configuration,
                sentinels: sentinels,
                masterName: masterName,
                eventLoop: eventLoop,
                logger: logger
            )
        }
        let connectTimeout = TimeAmount.milliseconds(Int64(configuration.connectTimeoutMilliseconds))
        let deadline = NIODeadline.now() + connectTimeout
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RedisChannelHandler(endpoint: endpoint))
                }
            }
        let connecting = direct.connect(bootstrap)
        let connection: RedisConnection
        do {
            connection = try await connecting.flatMapThrowing { channel in
                RedisConnection(
                    endpoint: endpoint,
                    channel: channel,
                    handler: NIOLoopBound(try channel.pipeline.syncOperations.handler(type: RedisChannelHandler.self), eventLoop: channel.eventLoop),
                    commandTimeout: .milliseconds(Int64(configuration.commandTimeoutMilliseconds))
                )
            }.get()
        } catch {
            throw connectFailure(error, endpoint: endpoint, timeoutMilliseconds: configuration.connectTimeoutMilliseconds)
        }
        do throws(RedisError) {
            try await connection.logIn(before: deadline)
        } catch {
            connection.close()
            throw error
        }
        logger.debug("connected to Redis", metadata: ["tessera.redis.endpoint": "\(endpoint)"])
        return connection
    }

    /// Whether the connection is closed (by a timeout, an error, the server or `close()`).
    public var isClosed: Bool { !channel.isActive }

    /// Sends one command and waits for its reply.
    ///
    /// An error reply (`-ERR ...`) is returned as `.error`, not thrown: only transport failures throw.
    /// - Throws: `RedisError` `.timeout` (this command's reply did not come in time), `.connectionLost`
    ///   or `.protocolError`; the command is never sent again.
    public func send(_ command: RedisCommand) async throws(RedisError) -> RedisValue {
        try await send(command, timeout: commandTimeout)
    }

    /// Sends one command that may take longer than the command timeout (a blocking one such as
    /// `WAIT`), and waits at most `timeout` for its reply.
    /// - Throws: `RedisError`, as `send(_:)` does.
    public func send(_ command: RedisCommand, timeout: Duration) async throws(RedisError) -> RedisValue {
        let (seconds, attoseconds) = timeout.components
        return try await send(command, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
    }

    /// Sends several commands back to back and returns their replies in order, error replies in place.
    ///
    /// The commands go out in one write, with nobody else's commands between them: one round trip.
    /// - Throws: `RedisError` for a transport failure, as `send` does.
    public func pipeline(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        let handler = self.handler
        let timeout = commandTimeout
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[RedisValue], RedisError>, Never>) in
            onEventLoop {
                handler.value.enqueue(commands, replies: PipelineReplies(count: commands.count, continuation: continuation), timeout: timeout)
            }
        }
        return try result.get()
    }

    /// Subscribes to a pub/sub channel: every message published on it (the third element of a
    /// `message` reply) goes to `onMessage`, on the event loop, until the connection closes. The
    /// connection is then for this subscription only; send nothing else on it.
    public func subscribe(to channelName: String, onMessage: @escaping @Sendable ([UInt8]) -> Void) {
        let handler = self.handler
        onEventLoop {
            handler.value.enqueue(RedisCommand("SUBSCRIBE", channelName), responder: .subscription(onMessage), timeout: nil)
        }
    }

    /// Returns when the connection has closed.
    public func waitUntilClosed() async {
        try? await channel.closeFuture.get()
    }

    /// Closes the connection; commands in flight fail with `.connectionLost`. Returns at once.
    public func close() {
        close(with: RedisError(.connectionLost, "the connection to Redis at \(endpoint) was closed by its owner"))
    }

    func close(with error: RedisError) {
        let handler = self.handler
        onEventLoop { handler.value.close(with: error) }
    }

    private func send(_ command: RedisCommand, timeout: TimeAmount) async throws(RedisError) -> RedisValue {
        let handler = self.handler
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<RedisValue, RedisError>, Never>) in
            onEventLoop { handler.value.enqueue(command, responder: .command(continuation), timeout: timeout) }
        }
        return try result.get()
    }

    private func onEventLoop(_ body: @escaping @Sendable () -> Void) {
        if channel.eventLoop.inEventLoop {
            body()
        } else {
            channel.eventLoop.execute(body)
        }
    }

    private func logIn(before deadline: NIODeadline) async throws(RedisError) {
        if let password = endpoint.password {
            let auth = RedisCommand("AUTH", [endpoint.username, password].compactMap { $0 })
            if case .error(let text) = try await send(auth, timeout: deadline - .now()) {
                throw RedisError(.authenticationFailed, "Redis at \(endpoint) refused AUTH: \(text)")
            }
        }
        if endpoint.database != 0,
            case .error(let text) = try await send(RedisCommand("SELECT", String(endpoint.database)), timeout: deadline - .now())
        {
            throw RedisError(.authenticationFailed, "Redis at \(endpoint) refused SELECT \(endpoint.database): \(text)")
        }
    }

    private static func connectFailure(_ error: any Error, endpoint: RedisEndpoint, timeoutMilliseconds: Int) -> RedisError {
        switch error {
        case ChannelError.connectTimeout:
            return RedisError(.timeout, "cannot reach Redis at \(endpoint): no connection within \(timeoutMilliseconds) ms")
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first?.error ?? error.dnsAError ?? error.dnsAAAAError {
                return connectFailure(first, endpoint: endpoint, timeoutMilliseconds: timeoutMilliseconds)
            }
            return RedisError(.connectionFailed, "cannot reach Redis at \(endpoint): \(error)")
        case let error as IOError:
            return RedisError(.connectionFailed, "cannot reach Redis at \(endpoint): \(String(cString: strerror(error.errnoCode)))")
        default:
            return RedisError(.connectionFailed, "cannot reach Redis at \(endpoint): \(error)")
        }
    }
}
