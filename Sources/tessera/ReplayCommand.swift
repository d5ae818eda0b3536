import ArgumentParser
import RedisClient
import TesseraStore

/// `tessera replay [--check]`: rebuilds the projections from the log and compares or repairs.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild every projection from the log alone; compare it with the live one (--check) or repair the live one.",
        discussion: """
            The rebuild runs the projection code of every logged event into a scratch key prefix that the live \
            prefix never matches (for tessera: it is tessera-replay-<random>:) and deletes it afterwards. \
            With --check, differences are printed one per line, by key name without the prefix: \
            'only live: KEY = VALUE', 'only rebuilt: KEY = VALUE' or 'differs: KEY: live VALUE, rebuilt VALUE' \
            (password hashes show only as <sha256:...> digests); nothing is written and the exit code is 1 on any \
            difference. Without --check, the live keys that differ get the rebuilt content ('replaced KEY: ...'), \
            missing ones are restored ('restored KEY = ...') and live-only keys deleted ('deleted KEY = ...'), in one \
            MULTI/EXEC that runs only if no event was appended since the comparison (else it compares again). \
            Running nodes keep their in-memory revocation views; a repair affects what they load at start.
            """
    )

    @OptionGroup var redis: RedisOptions

    @Flag(help: "Only compare; exit 1 when the projections differ from the log.")
    var check = false

    func run() async throws {
        try await UsageErrors.reported {
            let environment = EnvironmentDefaults.process
            let logger = try CommandLogging.makeLogger(environment: environment)
            let redisSettings = try redis.makeSettings(environment: environment)
            let (lines, matches) = try await redisSettings.withStore(poolSize: 2, logger: logger) { store in
                try await InterruptSignals.cancelling { try await replay(store) }
            }
            for line in lines { print(line) }
            if !matches { throw ExitCode.failure }
        }
    }

    /// Runs the replay and returns the lines to print and whether the command succeeded.
    ///
    /// `--check`: the differences and a summary, success when they match. Otherwise: what was
    /// repaired and a summary; success unless the replay failed.
    /// - Throws: `CommandFailure` when Redis fails or the log never held still.
    func replay(_ store: EventStore) async throws -> (lines: [String], succeeded: Bool) {
        let replay = ProjectionReplay(store: store)
        let report: ProjectionReplay.Report
        do {
            if check {
                report = try await replay.check()
            } else {
                report = try await replay.repair()
            }
        } catch {
            throw CommandFailure("replay failed: \(error.message)")
        }
        let counts = "\(Self.counted(report.eventCount, "event")), \(Self.counted(report.keyCount, "key"))"
        if report.isMatch {
            return (["projections match the log (\(counts))"], true)
        }
        if check {
            let summary = "projections differ from the log in \(Self.counted(report.differences.count, "key")) (\(counts))"
            return (report.differences.map(\.description) + [summary], false)
        }
        let changes = report.differences.map { difference in
            switch difference {
            case .onlyLive: "deleted \(difference.key)\(difference.detail)"
            case .onlyRebuilt: "restored \(difference.key)\(difference.detail)"
            case .differs: "replaced \(difference.key)\(difference.detail)"
            }
        }
        return (changes + ["repaired \(Self.counted(report.differences.count, "key")) to match the log (\(counts))"], true)
    }

    private static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
