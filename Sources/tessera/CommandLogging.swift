import ArgumentParser
import Logging

/// The process's logging: swift-log to standard error, bootstrapped once.
enum CommandLogging {
    private static let bootstrapped: Void = LoggingSystem.bootstrap(StreamLogHandler.standardError)

    /// The `tessera` logger at `TESSERA_LOG_LEVEL` (trace … critical; default `info`).
    /// - Throws: `ValidationError` for an unknown level.
    static func makeLogger(environment: EnvironmentDefaults) throws -> Logger {
        _ = bootstrapped
        var logger = Logger(label: "tessera")
        if let text = environment.value(ofVariable: "TESSERA_LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("TESSERA_LOG_LEVEL must be one of \(levels) (got '\(text)')")
            }
            logger.logLevel = level
        } else {
            logger.logLevel = .info
        }
        return logger
    }
}
