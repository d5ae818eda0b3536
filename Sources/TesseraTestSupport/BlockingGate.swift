import Foundation
import Synchronization

/// Holds the thread that calls ``block()`` until the test calls ``open()``: a way to keep a
/// worker (a password hashing thread) busy for exactly as long as a test needs.
public final class BlockingGate: Sendable {
    private let state = Mutex((isBlocked: false, isOpen: false))

    public init() {}

    /// A gate, and the task `start` made to run ``block()`` on a worker, once it blocks there.
    public static func blocking(
        _ start: (BlockingGate) -> Task<Void, any Error>
    ) async throws -> (gate: BlockingGate, task: Task<Void, any Error>) {
        let gate = BlockingGate()
        let task = start(gate)
        while !gate.isBlocked { try await Task.sleep(for: .milliseconds(1)) }
        return (gate, task)
    }

    /// Whether a thread is in ``block()`` (or has passed through it).
    public var isBlocked: Bool { state.withLock { $0.isBlocked } }

    /// Blocks the calling thread until ``open()``, polling every millisecond.
    public func block() {
        state.withLock { $0.isBlocked = true }
        while !state.withLock({ $0.isOpen }) { usleep(1000) }
    }

    public func open() {
        state.withLock { $0.isOpen = true }
    }
}
