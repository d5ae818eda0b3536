import NIOCore

/// Encodes commands and decodes their replies, in order, on the channel's event loop.
///
/// Commands are written as they come, without waiting for earlier replies (pipelining); the
/// writes of one event-loop tick go out in one flush. Replies are matched to commands in the order
/// the commands were written. Every command has a deadline: when the oldest one passes, its caller
/// gets `.timeout` and the connection is closed, so a late reply can never reach another caller;
/// every other command in flight then fails too. Nothing is ever sent twice.
final class RedisChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Who waits for a reply.
    enum Responder {
        /// One `send`.
        case command(CheckedContinuation<Result<RedisValue, RedisError>, Never>)
        /// One command of a pipeline.
        case pipelined(PipelineReplies)
        /// A SUBSCRIBE: the payload of every `message` reply, for as long as the connection lives.
        case subscription(@Sendable ([UInt8]) -> Void)
    }

    /// A command written (or about to be) whose reply has not come yet.
    private struct Pending {
        var command: RedisCommand
        var responder: Responder
        var deadline: NIODeadline
    }

    private enum State {
        case open(ChannelHandlerContext)
        /// Closed or closing; later commands fail with this error and are never written.
        case closed(RedisError)
    }

    private let endpoint: RedisEndpoint
    private let reader = RedisReplyReader()
    private var state: State
    private var pending = CircularBuffer<Pending>(initialCapacity: 16)
    private var outbound: ByteBuffer
    private var isFlushScheduled = false
    private var deadlineCheck: Scheduled<Void>?

    init(endpoint: RedisEndpoint) {
        self.endpoint = endpoint
        self.state = .closed(RedisError(.connectionLost, "the connection to Redis at \(endpoint) is not open yet"))
        self.outbound = ByteBufferAllocator().buffer(capacity: 256)
    }

    // MARK: Commands

    /// Queues `command` and writes it with this tick's other writes; `responder` gets its reply
    /// within `timeout` (nil: no deadline, for a subscription), or an error.
    func enqueue(_ command: RedisCommand, responder: Responder, timeout: TimeAmount?) {
        guard case .open(let context) = state else {
            if case .closed(let error) = state { Self.fail(responder, with: notSent(command, because: error)) }
            return
        }
        let deadline = timeout.map { NIODeadline.now() + $0 } ?? .distantFuture
        command.encode(into: &outbound)
        pending.append(Pending(command: command, responder: responder, deadline: deadline))
        if deadlineCheck == nil, timeout != nil { scheduleDeadlineCheck(at: deadline, context: context) }
        if !isFlushScheduled {
            isFlushScheduled = true
            context.eventLoop.assumeIsolated().execute { self.flush() }
        }
    }

    /// Queues every command of a pipeline back to back; `replies` collects their replies.
    func enqueue(_ commands: [RedisCommand], replies: PipelineReplies, timeout: TimeAmount) {
        for command in commands {
            enqueue(command, responder: .pipelined(replies), timeout: timeout)
        }
    }

    /// Closes the connection; commands in flight fail with `error`.
    func close(with error: RedisError) {
        guard case .open(let context) = state else { return }
        state = .closed(error)
        failPending(with: error)
        context.close(promise: nil)
    }

    private func flush() {
        isFlushScheduled = false
        guard case .open(let context) = state, outbound.readableBytes > 0 else { return }
        context.writeAndFlush(wrapOutboundOut(outbound), promise: nil)
        outbound = context.channel.allocator.buffer(capacity: 256)
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { state = .open(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if case .closed = state { state = .open(context) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            try reader.feed(unwrapInboundIn(data))
            while let reply = try reader.next() {
                if case .subscription(let onMessage) = pending.first?.responder {
                    if let parts = reply.array, parts.count == 3, parts[0].string == "message", let payload = parts[2].bytes {
                        onMessage(payload)
                    }
                    continue
                }
                guard let next = pending.popFirst() else {
                    close(with: RedisError(.protocolError, "Redis at \(endpoint) sent a reply nobody asked for: \(reply)"))
                    return
                }
                Self.deliver(reply, to: next.responder)
                // A replica refuses writes: the master moved (a failover). Closing sends the next
                // command to a new connection, which asks the sentinels where the master is now.
                if case .error(let message) = reply, message.hasPrefix("READONLY") {
                    close(with: RedisError(.connectionLost, "Redis at \(endpoint) is a replica now (READONLY); the connection was closed"))
                    return
                }
            }
        } catch {
            close(with: RedisError(.protocolError, "Redis at \(endpoint) sent an invalid reply: \(error.message)"))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(with: RedisError(.connectionLost, "lost the connection to Redis at \(endpoint): \(error)"))
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .open = state {
            let error = RedisError(.connectionLost, "lost the connection to Redis at \(endpoint): the server closed it")
            state = .closed(error)
            failPending(with: error)
        }
        deadlineCheck?.cancel()
        deadlineCheck = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        guard case .open = state else { return }
        let error = RedisError(.connectionLost, "the connection to Redis at \(endpoint) was closed")
        state = .closed(error)
        failPending(with: error)
    }

    // MARK: Deadlines

    /// One check at a time, at the oldest command's deadline: deadlines grow with the queue
    /// (every command of a connection gets the same timeout), so the oldest one expires first.
    private func scheduleDeadlineCheck(at deadline: NIODeadline, context: ChannelHandlerContext) {
        deadlineCheck = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.checkDeadline()
        }
    }

    private func checkDeadline() {
        deadlineCheck = nil
        guard case .open(let context) = state, let oldest = pending.first, oldest.deadline != .distantFuture else { return }
        guard oldest.deadline <= .now() else {
            scheduleDeadlineCheck(at: oldest.deadline, context: context)
            return
        }
        pending.removeFirst()
        let name = oldest.command.name
        Self.fail(
            oldest.responder,
            with: RedisError(
                .timeout,
                "Redis at \(endpoint) did not answer \(name) in time; it may still run, and it is not sent again"
            )
        )
        close(
            with: RedisError(
                .connectionLost,
                "the connection to Redis at \(endpoint) was closed because \(name) timed out"
            )
        )
    }

    // MARK: Replies

    private func failPending(with error: RedisError) {
        deadlineCheck?.cancel()
        deadlineCheck = nil
        while let next = pending.popFirst() {
            Self.fail(next.responder, with: inFlight(next.command, because: error))
        }
    }

    private func inFlight(_ command: RedisCommand, because error: RedisError) -> RedisError {
        RedisError(error.code, "\(error.message) (\(command.name) was in flight: it may have run, and it is not sent again)")
    }

    private func notSent(_ command: RedisCommand, because error: RedisError) -> RedisError {
        RedisError(error.code, "\(error.message) (\(command.name)\(RedisError.neverSentMarker)")
    }

    private static func deliver(_ reply: RedisValue, to responder: Responder) {
        switch responder {
        case .command(let continuation): continuation.resume(returning: .success(reply))
        case .pipelined(let replies): replies.receive(reply)
        case .subscription(let onMessage): if let payload = reply.bytes { onMessage(payload) }
        }
    }

    private static func fail(_ responder: Responder, with error: RedisError) {
        switch responder {
        case .command(let continuation): continuation.resume(returning: .failure(error))
        case .pipelined(let replies): replies.fail(error)
        case .subscription: break
        }
    }
}

/// The replies of one pipeline, collected on the event loop until the last one arrives.
final class PipelineReplies {
    private var replies: [RedisValue]
    private let count: Int
    private var continuation: CheckedContinuation<Result<[RedisValue], RedisError>, Never>?

    init(count: Int, continuation: CheckedContinuation<Result<[RedisValue], RedisError>, Never>) {
        self.count = count
        self.replies = []
        self.replies.reserveCapacity(count)
        self.continuation = continuation
    }

    func receive(_ reply: RedisValue) {
        guard continuation != nil else { return }
        replies.append(reply)
        if replies.count == count {
            continuation?.resume(returning: .success(replies))
            continuation = nil
        }
    }

    /// The first failure ends the pipeline; the replies of its other commands are dropped.
    func fail(_ error: RedisError) {
        continuation?.resume(returning: .failure(error))
        continuation = nil
    }
}
