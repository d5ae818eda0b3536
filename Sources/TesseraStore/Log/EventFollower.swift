public import Logging
public import RedisClient
public import TesseraCore

/// Follows the log as it grows: XREAD BLOCK on a connection of its own, never one that carries
/// other callers' commands.
///
/// Each round either delivers new events or reports that Redis answered with nothing new; both
/// mean "heard from Redis", which is what the revocation view's staleness bound measures. A
/// broken connection is reported and replaced, and following resumes after the last delivered
/// id, so no event is skipped. Cancelling the calling task ends `follow` within one block interval.
///
/// On every new connection (after a Redis restart, or a failover to another server) the follower
/// checks that the log there still holds the last event it delivered. When it does not, the
/// server lost events the follower had already delivered (a replica promoted before it received
/// them, or a restart that lost its last writes), and `.rewound` says so: reading on after that id
/// would silently skip what the new log holds instead, or wait for an id that never comes.
public struct EventFollower: Sendable {
    /// What one round of following produced.
    public enum Update: Sendable {
        /// New events, oldest first.
        case events([RecordedEvent])
        /// Redis answered; nothing new within the block interval.
        case idle
        /// Redis could not be reached; following retries after a short pause.
        case disconnected(RedisError)
        /// The log on the server reached now lacks this event, the last one delivered: the server
        /// lost events after it. Following goes on after it; state built from the log is suspect
        /// and should be loaded again.
        case rewound(EventID)
    }

    /// How to reach Redis (the follower opens its own connection).
    public var configuration: RedisConfiguration
    /// The stream key of the log.
    public var logKey: String
    /// How long one XREAD may block waiting for events, in milliseconds.
    public var blockMilliseconds: Int
    /// The most events one round delivers.
    public var batchSize: Int
    /// The pool whose sentinel announcements (``RedisConnectionPool/isCurrentMaster(_:)``) say
    /// when the follower's connection no longer goes to the master.
    public var pool: RedisConnectionPool?
    private let logger: Logger

    /// Creates a follower of the log of `store`.
    public init(
        configuration: RedisConfiguration,
        logKey: String,
        blockMilliseconds: Int = 250,
        batchSize: Int = 1000,
        pool: RedisConnectionPool? = nil,
        logger: Logger
    ) {
        self.pool = pool
        self.configuration = configuration
        self.logKey = logKey
        self.blockMilliseconds = blockMilliseconds
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Delivers every event after `start` to `handle`, then keeps following until the task is cancelled.
    ///
    /// `handle` is awaited before the next read, so events arrive in order and one batch at a time.
    /// - Parameter startIsInLog: `start` is an event of the log (not any id before one), so a log
    ///   that lacks it has lost events: checked on each new connection, as delivered ids are.
    /// - Throws: only what `handle` throws, or `CancellationError`.
    public func follow(
        after start: EventID,
        startIsInLog: Bool = false,
        _ handle: @Sendable (Update) async throws -> Void
    ) async throws {
        var configuration = self.configuration
        // A blocked XREAD must not trip the command timeout.
        configuration.commandTimeoutMilliseconds = blockMilliseconds + configuration.commandTimeoutMilliseconds
        var connection: RedisConnection?
        defer { connection?.close() }
        var last = start
        var lastIsInLog = startIsInLog && start != .zero
        var pauseMilliseconds = 50
        while !Task.isCancelled {
            let command = RedisCommand(
                "XREAD",
                "COUNT",
                String(batchSize),
                "BLOCK",
                String(blockMilliseconds),
                "STREAMS",
                logKey,
                last.description
            )
            let update: Update
            do {
                let active: RedisConnection
                var isNew = false
                if let connection, !connection.isClosed, pool?.isCurrentMaster(connection) ?? true {
                    active = connection
                } else {
                    connection?.close()
                    active = try await RedisConnection.connect(configuration: configuration, logger: logger)
                    connection = active
                    isNew = true
                }
                if isNew, lastIsInLog, try await !Self.log(logKey, on: active, holds: last) {
                    logger.error(
                        "the event log on Redis lacks events already delivered from it: Redis lost them",
                        metadata: ["tessera.log.position": "\(last)", "tessera.redis.endpoint": "\(active.endpoint)"]
                    )
                    lastIsInLog = false
                    update = .rewound(last)
                } else {
                    let reply = try await active.send(command)
                    if case .error(let message) = reply { throw RedisError(.serverError, "XREAD failed: \(message)") }
                    let events = try Self.events(inXREAD: reply)
                    update = events.isEmpty ? .idle : .events(events)
                    if let newest = events.last?.id {
                        last = newest
                        lastIsInLog = true
                    }
                    pauseMilliseconds = 50
                }
            } catch let error as RedisError {
                logger.warning("following the event log failed", metadata: ["tessera.error": "\(error)"])
                connection?.close()
                update = .disconnected(error)
            } catch {
                logger.error("the event log holds an entry that does not parse", metadata: ["tessera.error": "\(error)"])
                update = .disconnected(RedisError(.unexpectedReply, "\(error)"))
            }
            try await handle(update)
            if case .disconnected = update {
                try await Task.sleep(for: .milliseconds(pauseMilliseconds))
                pauseMilliseconds = min(pauseMilliseconds * 2, 1000)
            }
        }
        try Task.checkCancellation()
    }

    /// Whether the stream `key` holds the entry `id`. XREVRANGE, not XRANGE: it is among the
    /// commands of an API node's read-only Redis user.
    private static func log(_ key: String, on connection: RedisConnection, holds id: EventID) async throws(RedisError) -> Bool {
        let reply = try await connection.send(RedisCommand("XREVRANGE", key, id.description, id.description))
        if case .error(let message) = reply { throw RedisError(.serverError, "XREVRANGE failed: \(message)") }
        return !(reply.array?.isEmpty ?? true)
    }

    /// Parses `[[key, [[id, fields], ...]]]`, or nil (the block timed out: an empty round).
    ///
    /// Any other shape is an error, not an empty round: only a reply that really is one may
    /// count as hearing from Redis.
    static func events(inXREAD reply: RedisValue) throws(StoreError) -> [RecordedEvent] {
        if reply.isNull { return [] }
        guard let streams = reply.array, streams.count == 1, let stream = streams[0].array, stream.count == 2 else {
            throw StoreError(.corruptData, "XREAD answered a reply of unexpected shape")
        }
        return try EventStore.events(in: stream[1])
    }
}
