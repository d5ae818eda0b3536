import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
