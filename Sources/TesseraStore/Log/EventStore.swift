public import Logging
public import RedisClient
public import TesseraCore

/// The event log: one Redis Stream under a key prefix, appended to only by Lua scripts that
/// check their preconditions, XADD the events and update the projections, all or nothing.
public final class EventStore: Sendable {
    /// The connections to Redis.
    public let pool: RedisConnectionPool
    /// The prefix of every key of this deployment (e.g. `tessera:`).
    public let keyPrefix: String
    /// How many replicas must confirm a revoking command's write (`WAIT`) before it counts; 0
    /// waits for none.
    public let minReplicasAck: Int
    /// How long `WAIT` may take.
    public let replicaAckTimeout: Duration
    private let logger: Logger

    /// Creates a store over a pool.
    public init(
        pool: RedisConnectionPool,
        keyPrefix: String,
        minReplicasAck: Int = 0,
        replicaAckTimeout: Duration = .seconds(1),
        logger: Logger
    ) {
        self.pool = pool
        self.keyPrefix = keyPrefix
        self.minReplicasAck = minReplicasAck
        self.replicaAckTimeout = replicaAckTimeout
        self.logger = logger
    }

    /// The stream key of the log.
    public var logKey: String { keyPrefix + "events" }

    /// A key under this deployment's prefix, parts joined with `:`.
    public func key(_ parts: String...) -> String {
        keyPrefix + parts.joined(separator: ":")
    }

    /// Runs a script command: its preconditions, events and projections in one step.
    ///
    /// With ``minReplicasAck`` above 0, a command that may revoke (``ScriptCommand/mayRevoke``)
    /// runs on a connection of its own, and when its script appended a revoking event, `WAIT`
    /// follows on that same connection (WAIT counts the replicas that have the connection's own
    /// last write); this is the one place that waits, for every route and service.
    /// - Throws: `StoreError` when Redis fails or the reply does not decode; `.notReplicated`
    ///   (with the events, which are in the log) when fewer replicas confirmed in time. A failed
    ///   precondition is not an error: it is part of the command's `Outcome`.
    public func run<Command: ScriptCommand>(_ command: Command) async throws(StoreError) -> Command.Outcome {
        let arguments = try command.arguments()
        guard minReplicasAck > 0, Command.mayRevoke else {
            let reply = try await evaluate(Command.script, arguments)
            return try command.outcome(of: try ScriptReply(decoding: reply, script: Command.script))
        }
        let script = try StoreScript.cached(Command.script.rawValue)
        let argv = [keyPrefix] + arguments
        let wait = RedisCommand("WAIT", String(minReplicasAck), String(replicaAckTimeout.wholeMilliseconds))
        let replicas = minReplicasAck
        let (reply, acknowledged): (RedisValue, Int64?)
        do {
            (reply, acknowledged) = try await pool.withConnection { connection throws(RedisError) -> (RedisValue, Int64?) in
                var reply = try await connection.send(RedisCommand("EVALSHA", [script.sha1, "0"] + argv))
                if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
                    reply = try await connection.send(RedisCommand("EVAL", [script.source, "0"] + argv))
                }
                guard let events = (try? ScriptReply(decoding: reply, script: Command.script))?.events,
                    events.contains(where: { Self.revokingTypes.contains($0.type) })
                else { return (reply, nil) }
                let confirmed = try await connection.send(wait, timeout: self.replicaAckTimeout + .seconds(2))
                guard let count = confirmed.int else {
                    throw RedisError(.unexpectedReply, "WAIT \(replicas) answered \(confirmed)")
                }
                return (reply, count)
            }
        } catch {
            throw StoreError(error)
        }
        if case .error(let message) = reply {
            throw StoreError(.redis, "script \(Command.script.rawValue) failed: \(message)", underlying: RedisError(.serverError, message))
        }
        let decoded = try ScriptReply(decoding: reply, script: Command.script)
        if let acknowledged, acknowledged < minReplicasAck {
            let events = decoded.events ?? []
            let error = StoreError(
                .notReplicated,
                "events up to \(events.last?.id.description ?? "?") are in the log, but only \(acknowledged) of the "
                    + "\(minReplicasAck) replicas required confirmed them within \(replicaAckTimeout.wholeMilliseconds) ms: "
                    + "not durably acknowledged",
                events: events
            )
            logger.warning("a revocation is not durably acknowledged", metadata: ["tessera.error": "\(error)"])
            throw error
        }
        return try command.outcome(of: decoded)
    }

    /// The event types that revoke something: a command that appended one waits for the replicas.
    static let revokingTypes: Set<EventType> = [
        .sessionRevoked, .accessTokenRevoked, .userLoggedOutEverywhere, .userDisabled,
        .refreshReuseDetected, .passwordChanged, .feedCredentialRevoked,
    ]

    /// A script's raw reply: EVALSHA, then EVAL when Redis does not have the script cached (the
    /// cache is server-wide, so any connection will do). The prefix is passed as the first
    /// argument; `arguments` follow it. `readOnly` runs it as EVALSHA_RO / EVAL_RO (Redis 7),
    /// which an ACL user allowed only to read may run, and in which Redis refuses any write.
    /// - Throws: `StoreError` when Redis fails or answers with an error (the script raised one).
    func evaluate(_ name: ScriptName, _ arguments: [String], readOnly: Bool = false) async throws(StoreError) -> RedisValue {
        let script = try StoreScript.cached(name.rawValue)
        let argv = [keyPrefix] + arguments
        // A pipeline of one hands back an error reply as a value, so NOSCRIPT is told apart from the
        // script's own errors without parsing a thrown message.
        var reply = try await pipeline([RedisCommand(readOnly ? "EVALSHA_RO" : "EVALSHA", [script.sha1, "0"] + argv)])[0]
        if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
            reply = try await pipeline([RedisCommand(readOnly ? "EVAL_RO" : "EVAL", [script.source, "0"] + argv)])[0]
        }
        if case .error(let message) = reply {
            throw StoreError(.redis, "script \(name.rawValue) failed: \(message)", underlying: RedisError(.serverError, message))
        }
        return reply
    }

    /// Events after `id` (exclusive), oldest first, at most `limit`.
    public func events(after id: EventID?, limit: Int) async throws(StoreError) -> [RecordedEvent] {
        let start = id.map { "(" + $0.description } ?? "-"
        return try await range(RedisCommand("XRANGE", logKey, start, "+", "COUNT", String(limit)))
    }

    /// Events before `id` (exclusive), newest first, at most `limit`.
    public func events(before id: EventID?, limit: Int) async throws(StoreError) -> [RecordedEvent] {
        let end = id.map { "(" + $0.description } ?? "+"
        return try await range(RedisCommand("XREVRANGE", logKey, end, "-", "COUNT", String(limit)))
    }

    /// Events with the given ids, in the order given; ids not in the log are skipped.
    public func events(withIDs ids: [EventID]) async throws(StoreError) -> [RecordedEvent] {
        guard !ids.isEmpty else { return [] }
        let replies = try await pipeline(ids.map { RedisCommand("XRANGE", logKey, $0.description, $0.description) })
        var events: [RecordedEvent] = []
        for reply in replies {
            events += try Self.events(in: reply)
        }
        return events
    }

    /// The id of the newest event, or nil when the log is empty.
    public func head() async throws(StoreError) -> EventID? {
        try await events(before: nil, limit: 1).first?.id
    }

    private func range(_ command: RedisCommand) async throws(StoreError) -> [RecordedEvent] {
        try Self.events(in: try await value(command))
    }

    /// A flat `[name, value, name, value, ...]` reply (HGETALL, a script's values) as a
    /// dictionary; integer values become their decimal text, pairs of other shapes are skipped.
    static func fields(of reply: RedisValue) -> [String: String] {
        guard let flat = reply.array else { return [:] }
        var fields: [String: String] = [:]
        var index = 0
        while index + 1 < flat.count {
            if let name = flat[index].string, let value = flat[index + 1].string ?? flat[index + 1].int.map(String.init) {
                fields[name] = value
            }
            index += 2
        }
        return fields
    }

    /// One command's reply; an error reply or a failure is a `StoreError`.
    func value(_ command: RedisCommand) async throws(StoreError) -> RedisValue {
        do {
            return try await pool.send(command)
        } catch {
            throw StoreError(error)
        }
    }

    /// Pipelined commands' replies, in order; error replies are returned, a failure is thrown.
    func pipeline(_ commands: [RedisCommand]) async throws(StoreError) -> [RedisValue] {
        do {
            return try await pool.pipeline(commands)
        } catch {
            throw StoreError(error)
        }
    }

    /// Parses an XRANGE-shaped reply: `[[id, [field, value, ...]], ...]`.
    static func events(in reply: RedisValue) throws(StoreError) -> [RecordedEvent] {
        if reply.isNull { return [] }
        guard let entries = reply.array else {
            throw StoreError(.corruptData, "expected stream entries, got a reply of another shape")
        }
        return try entries.map { entry throws(StoreError) in try event(from: entry) }
    }

    static func event(from entry: RedisValue) throws(StoreError) -> RecordedEvent {
        guard let pair = entry.array, pair.count == 2,
            let idText = pair[0].string, let id = EventID(idText),
            let fields = pair[1].array
        else {
            throw StoreError(.corruptData, "a stream entry of the log has an unexpected shape")
        }
        var type: String?
        var version: Int?
        var data: [UInt8]?
        var index = 0
        while index + 1 < fields.count {
            switch fields[index].string {
            case "type": type = fields[index + 1].string
            case "v": version = fields[index + 1].int.map(Int.init)
            case "data": data = fields[index + 1].bytes
            default: break
            }
            index += 2
        }
        guard let type, let version, let data else {
            throw StoreError(.corruptData, "stream entry \(id) lacks type, v or data")
        }
        return RecordedEvent(id: id, type: EventType(type), version: version, data: data)
    }
}
