import Foundation

/// Dedicated threads running blocking jobs from a bounded FIFO queue.
///
/// Jobs never run on the Swift cooperative pool or an event loop. A submission is
/// refused at once when every thread is busy and the queue is full.
final class PasswordWorkerPool: @unchecked Sendable {
    /// A job: does its work and returns how to report the result. Its argument is `true`
    /// when the pool shut down before it could run; it must then do no work. The report runs
    /// after the job's slot is freed, so a caller that resumes can submit again at once.
    typealias Job = @Sendable (_ isShutDown: Bool) -> Report
    typealias Report = @Sendable () -> Void

    enum Submission {
        case accepted, overloaded, shutDown
    }

    let threadCount: Int
    let queueLimit: Int
    // Everything below is only touched with `condition` locked.
    private let condition = NSCondition()
    private var threads: [Thread] = []
    private var queue: [Job] = []
    private var busyCount = 0
    private var isShutDown = false

    init(threadCount: Int, queueLimit: Int) {
        precondition(threadCount > 0, "a password worker pool needs at least one thread")
        precondition(queueLimit >= 0, "queueLimit must not be negative")
        self.threadCount = threadCount
        self.queueLimit = queueLimit
        condition.lock()
        defer { condition.unlock() }
        for _ in 0..<threadCount {
            // A thread keeps the pool alive until `shutdown()` lets it return.
            let thread = Thread { [self] in runWorker() }
            threads.append(thread)
            thread.start()
        }
    }

    /// Jobs running or queued.
    var inFlightCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return busyCount + queue.count
    }

    /// Whether the calling thread is one of the pool's.
    var isWorkerThread: Bool {
        let current = Thread.current
        condition.lock()
        defer { condition.unlock() }
        return threads.contains { $0 === current }
    }

    /// Queues `job` unless the pool is full or shut down.
    func submit(_ job: @escaping Job) -> Submission {
        condition.lock()
        defer { condition.unlock() }
        if isShutDown { return .shutDown }
        guard busyCount + queue.count < threadCount + queueLimit else { return .overloaded }
        queue.append(job)
        condition.signal()
        return .accepted
    }

    /// Stops the threads once their current jobs finish; queued jobs are told the pool shut
    /// down. Idempotent.
    func shutdown() {
        condition.lock()
        isShutDown = true
        let abandoned = queue
        queue.removeAll()
        threads.removeAll()
        condition.broadcast()
        condition.unlock()
        for job in abandoned { job(true)() }
    }

    private func runWorker() {
        while let job = nextJob() {
            let report = job(false)
            condition.lock()
            busyCount -= 1
            condition.unlock()
            report()
        }
    }

    /// The next job, waiting for one; `nil` once the pool is shut down.
    private func nextJob() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !isShutDown {
            condition.wait()
        }
        guard !isShutDown else { return nil }
        busyCount += 1
        return queue.removeFirst()
    }
}
