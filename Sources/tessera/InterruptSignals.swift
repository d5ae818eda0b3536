import UnixSignals

/// SIGINT and SIGTERM as cancellation of a command's work, through service-lifecycle's
/// `UnixSignalsSequence` (the signal handling `ServiceGroup` uses for `serve`).
enum InterruptSignals {
    /// Runs `body`; the first SIGINT or SIGTERM cancels it. Returns what it returns.
    /// - Throws: what `body` throws (`CancellationError` or its own error once cancelled).
    static func cancelling<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        // Trapped before the body starts, so a signal that arrives at once is not missed.
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                var iterator = signals.makeAsyncIterator()
                _ = await iterator.next()
                return nil
            }
            defer { group.cancelAll() }
            while let outcome = try await group.next() {
                // The signal watcher returns nil: cancel the body and wait for what it ends with.
                guard let result = outcome else {
                    group.cancelAll()
                    continue
                }
                return result
            }
            throw CancellationError()
        }
    }
}
