internal import CHiredis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking hiredis connection.
///
/// Every method blocks the calling thread. Call them only from a thread of your own (the pool's
/// threads, the stream follower's thread), never from an event loop or the cooperative pool.
/// One thread at a time: hiredis contexts are not thread-safe.
public final class RedisConnection: @unchecked Sendable {
    // @unchecked: the context is only touched by the one thread that holds the connection at a
    // time (the pool hands it out exclusively); it is freed in deinit.
    private let context: UnsafeMutablePointer<redisContext>
    /// The server this connection talks to.
    public let endpoint: RedisEndpoint
    /// Set once an I/O or protocol error left the context unusable.
    public private(set) var isBroken = false

    /// Connects, applies the command timeout, then runs AUTH and SELECT as the endpoint asks.
    ///
    /// - Throws: `RedisError` `.connectionFailed` (`cannot reach Redis at HOST:PORT: REASON`), `.timeout`,
    ///   or `.authenticationFailed`.
    public init(configuration: RedisConfiguration) throws(RedisError) {
        let endpoint = configuration.endpoint
        let timeout = configuration.connectTimeoutMilliseconds
        let raw: UnsafeMutablePointer<redisContext>? =
            switch endpoint.address {
            case .tcp(let host, let port): tsr_redis_connect_tcp(host, Int32(port), timeout)
            case .unix(let path): tsr_redis_connect_unix(path, timeout)
            }
        guard let raw else {
            throw RedisError(.connectionFailed, "cannot reach Redis at \(endpoint): out of memory")
        }
        if tsr_redis_err(raw) != 0 {
            let reason = String(cString: tsr_redis_errstr(raw))
            redisFree(raw)
            let code: RedisError.Code = Self.isTimeout(reason) ? .timeout : .connectionFailed
            throw RedisError(code, "cannot reach Redis at \(endpoint): \(reason)")
        }
        self.context = raw
        self.endpoint = endpoint
        setTimeout(milliseconds: configuration.connectTimeoutMilliseconds)
        // A throw from here on runs deinit, which frees the context.
        if let password = endpoint.password {
            if case .error(let text) = try send(RedisCommand("AUTH", [endpoint.username, password].compactMap { $0 })) {
                throw RedisError(.authenticationFailed, "Redis at \(endpoint) refused AUTH: \(text)")
            }
        }
        if endpoint.database != 0,
            case .error(let text) = try send(RedisCommand("SELECT", String(endpoint.database)))
        {
            throw RedisError(.authenticationFailed, "Redis at \(endpoint) refused SELECT \(endpoint.database): \(text)")
        }
        setTimeout(milliseconds: configuration.commandTimeoutMilliseconds)
    }

    deinit {
        redisFree(context)
    }

    /// Changes how long a command may wait for its reply (socket receive/send timeout).
    public func setTimeout(milliseconds: Int) {
        _ = tsr_redis_set_timeout(context, milliseconds)
    }

    /// True when an idle connection's socket shows the server went away (or sent something unasked).
    ///
    /// A non-blocking `poll` on the socket: about a microsecond.
    public var looksStale: Bool {
        isBroken || tsr_redis_idle_is_stale(context) != 0
    }

    /// Sends one command and waits for its reply.
    ///
    /// An error reply (`-ERR ...`) is returned as `.error`, not thrown: only transport failures throw.
    /// - Throws: `RedisError` `.connectionLost`, `.timeout` or `.protocolError`; the connection is then broken.
    public func send(_ command: RedisCommand) throws(RedisError) -> RedisValue {
        guard !isBroken else { throw RedisError(.connectionLost, "connection to Redis at \(endpoint) is broken") }
        let reply = Self.withArgv(command.arguments) { argc, argv, lengths in
            tsr_redis_command_argv(context, argc, argv, lengths)
        }
        guard let reply else { throw failure(command.name) }
        return Self.convert(reply)
    }

    /// Sends several commands in one write and reads their replies in order: one round trip.
    ///
    /// - Throws: `RedisError` for a transport failure; error replies are returned in place.
    public func pipeline(_ commands: [RedisCommand]) throws(RedisError) -> [RedisValue] {
        guard !isBroken else { throw RedisError(.connectionLost, "connection to Redis at \(endpoint) is broken") }
        for command in commands {
            let status = Self.withArgv(command.arguments) { argc, argv, lengths in
                tsr_redis_append_argv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else { throw failure(command.name) }
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for command in commands {
            var reply: UnsafeMutableRawPointer?
            guard tsr_redis_get_reply(context, &reply) == REDIS_OK, let reply else { throw failure(command.name) }
            replies.append(Self.convert(reply))
        }
        return replies
    }

    private func failure(_ commandName: String) -> RedisError {
        isBroken = true
        let err = tsr_redis_err(context)
        let reason = String(cString: tsr_redis_errstr(context))
        if Self.isTimeout(reason) {
            return RedisError(.timeout, "Redis at \(endpoint) did not answer \(commandName) in time")
        }
        if err == REDIS_ERR_PROTOCOL {
            return RedisError(.protocolError, "Redis at \(endpoint) sent an invalid reply to \(commandName): \(reason)")
        }
        return RedisError(.connectionLost, "lost the connection to Redis at \(endpoint) during \(commandName): \(reason)")
    }

    private static func isTimeout(_ reason: String) -> Bool {
        reason.contains("timed out") || reason.contains("temporarily unavailable")
    }

    /// Calls `body` with C argv/argvlen arrays pointing into `arguments`, valid only during the call.
    private static func withArgv<R>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        // One contiguous buffer keeps every argument alive and addressable for the call.
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(0) { $0 + $1.count } + 1)
        var offsets: [Int] = []
        var lengths: [Int] = []
        offsets.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(storage.count)
            lengths.append(argument.count)
            storage.append(contentsOf: argument)
        }
        storage.append(0)
        return storage.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            var argv: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
            return argv.withUnsafeMutableBufferPointer { argvBuffer in
                lengths.withUnsafeBufferPointer { lengthBuffer in
                    body(Int32(arguments.count), argvBuffer.baseAddress!, lengthBuffer.baseAddress!)
                }
            }
        }
    }

    /// Converts a hiredis reply tree into a `RedisValue` and frees it.
    private static func convert(_ raw: UnsafeMutableRawPointer) -> RedisValue {
        defer { freeReplyObject(raw) }
        return value(of: raw.assumingMemoryBound(to: redisReply.self))
    }

    private static func value(of reply: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STATUS: return .simpleString(text(r))
        case REDIS_REPLY_ERROR: return .error(text(r))
        case REDIS_REPLY_INTEGER: return .integer(Int64(r.integer))
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_STRING:
            guard let str = r.str else { return .bulkString([]) }
            return .bulkString(Array(UnsafeRawBufferPointer(start: str, count: r.len)))
        case REDIS_REPLY_ARRAY:
            guard let elements = r.element else { return .array([]) }
            return .array((0..<r.elements).map { index in elements[index].map(value(of:)) ?? .null })
        default:
            return .error("unsupported reply type \(r.type)")
        }
    }

    private static func text(_ reply: redisReply) -> String {
        guard let str = reply.str else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: str, count: reply.len), as: UTF8.self)
    }
}
