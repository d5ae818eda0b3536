import Logging
import Synchronization

/// Records every message logged through its loggers, at every level, as one line of text with
/// its level, source, metadata and error: what a log file of the node would hold.
final class LogRecorder: Sendable {
    private let records = Mutex<[String]>([])

    /// Every line recorded so far.
    var lines: [String] { records.withLock { $0 } }

    /// A logger at `.trace` that records here.
    func logger(label: String = "test") -> Logger {
        var logger = Logger(label: label) { _ in Handler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    private func record(_ line: String) {
        records.withLock { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all = metadata
            all.merge(metadataProvider?.get() ?? [:]) { $1 }
            all.merge(event.metadata ?? [:]) { $1 }
            recorder.record("\(event.level) [\(event.source)] \(event.message) \(all) \(event.error.map { "\($0)" } ?? "")")
        }
    }
}
