import ArgumentParser
import Dispatch
import Logging
import RedisClient
import TesseraCore
import TesseraStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tessera events tail [--from ID]`.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Read the event log.",
        subcommands: [EventsTail.self]
    )
}

/// `tessera events tail [--from ID]`: the log as JSON lines, as events are appended.
struct EventsTail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print events as JSON lines as they are appended, until SIGINT or SIGTERM.",
        discussion: """
            One object per line: {"id","type","at","data"}, where id is the stream id, at the append time \
            (RFC 3339 UTC with milliseconds) and data the event's stored JSON. Without --from only events \
            appended from now on are printed.
            """
    )

    @OptionGroup var redis: RedisOptions

    @Option(help: "Start at this event id, inclusive (MS-SEQ, or MS for the first event of that millisecond; 0 for the whole log).")
    var from: String?

    func run() async throws {
        try await UsageErrors.reported {
            let environment = EnvironmentDefaults.process
            let logger = try CommandLogging.makeLogger(environment: environment)
            let redisSettings = try redis.makeSettings(environment: environment)
            let start = try startingPoint()
            do {
                try await redisSettings.withStore(poolSize: 1, logger: logger) { store in
                    let tail = EventTail(store: store, logger: logger)
                    try await InterruptSignals.cancelling {
                        try await tail.run(from: start) { line in StandardOutput.printLine(line) }
                    }
                }
            } catch is CancellationError {
                // Interrupted: the tail ends quietly.
            }
        }
    }

    /// The `--from` id.
    /// - Throws: `ValidationError` (exit 64) for anything but `MS-SEQ` or `MS`.
    func startingPoint() throws -> EventTail.Start {
        guard let from else { return .head }
        if let id = EventID(from) { return .at(id) }
        if !from.isEmpty, from.utf8.count <= 20, from.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let milliseconds = UInt64(from) {
            return .at(EventID(milliseconds: milliseconds, sequence: 0))
        }
        throw ValidationError("--from must be an event id such as 1732363200000-0 (or 0 for the whole log), got '\(from)'")
    }
}

/// Follows the log and hands each event to a writer as one JSON line (`RecordedEvent.jsonObject`).
struct EventTail: Sendable {
    /// Where printing starts.
    enum Start: Sendable, Equatable {
        /// After the newest event now in the log: only events appended from now on.
        case head
        /// At this id, inclusive.
        case at(EventID)
    }

    var store: EventStore
    var logger: Logger
    /// How long one XREAD waits for new events; bounds how late cancellation is noticed.
    var blockMilliseconds = 250

    /// Writes every event from `start` to `write`, in log order, one line (without newline) per
    /// event, and keeps following the log until the task is cancelled.
    /// - Throws: `CancellationError` when cancelled, what `write` throws, or `CommandFailure`
    ///   when the head of the log cannot be read.
    func run(from start: Start, write: @Sendable (String) async throws -> Void) async throws {
        let after: EventID
        switch start {
        case .head:
            do {
                after = try await store.head() ?? .zero
            } catch {
                throw CommandFailure("cannot read the event log: \(error.message)")
            }
        case .at(let id):
            after = Self.predecessor(of: id)
        }
        let follower = EventFollower(
            configuration: store.pool.configuration,
            logKey: store.logKey,
            blockMilliseconds: blockMilliseconds,
            logger: logger
        )
        try await follower.follow(after: after) { update in
            guard case .events(let events) = update else { return }
            for event in events { try await write(event.jsonObject) }
        }
    }

    /// The greatest id before `id`, so that following "after" it includes `id` itself.
    static func predecessor(of id: EventID) -> EventID {
        if id.sequence > 0 { return EventID(milliseconds: id.milliseconds, sequence: id.sequence - 1) }
        if id.milliseconds > 0 { return EventID(milliseconds: id.milliseconds - 1, sequence: .max) }
        return .zero
    }
}

/// Standard output, written a line at a time and unbuffered, so a pipe sees each event at once.
enum StandardOutput {
    static func printLine(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return
            }
            written += count
        }
    }
}

/// SIGINT and SIGTERM as cancellation of a command's work.
enum InterruptSignals {
    /// Runs `body`; SIGINT or SIGTERM cancels it. Returns what it returns.
    /// - Throws: what `body` throws (`CancellationError` or its own error once cancelled).
    static func cancelling<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        let (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            continuation.finish()
        }
        let work = Task { try await body() }
        return try await withTaskCancellationHandler {
            let watcher = Task {
                for await _ in signals {
                    work.cancel()
                    return
                }
            }
            defer { watcher.cancel() }
            return try await work.value
        } onCancel: {
            work.cancel()
        }
    }
}
