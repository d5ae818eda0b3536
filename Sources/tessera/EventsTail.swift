import ArgumentParser
import TesseraCore

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
