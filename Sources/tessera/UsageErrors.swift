import ArgumentParser

/// Reports a usage error thrown from a command's `run()` as one line and exit code 64.
///
/// ArgumentParser would add the root command's usage, which names no subcommand's flags and
/// only buries the line that matters.
enum UsageErrors {
    static func reported<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as ValidationError {
            LocalFile.writeToStandardError("Error: \(error.message)")
            throw ExitCode.validationFailure
        }
    }
}
