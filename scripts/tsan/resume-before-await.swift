// Does ThreadSanitizer see a CheckedContinuation's resume order the awaiting task's reads? A
// thread builds an indirect enum (its box is written here, in instrumented code), resumes the
// continuation with it, and the task reads the box. With `late` the thread resumes after the task
// has suspended: the runtime enqueues the task with a TSan release/acquire, and nothing is
// reported. With `early` it resumes before the task reached its await (what a fast reply does
// when the awaiting thread is preempted): the task goes on at once after an atomic handshake in
// the concurrency runtime, which is not instrumented, and TSan reports the box as a race, though
// the resume orders the write before the read all the same.
//   swiftc -sanitize=thread -parse-as-library scripts/tsan/resume-before-await.swift -o /tmp/resume-check
//   /tmp/resume-check early   # data race: read in Value.array, write where the thread built it
//   /tmp/resume-check late    # no report
import Foundation
import Glibc

indirect enum Value: Sendable {
    case int(Int)
    case array([Value])

    var array: [Value]? {
        if case .array(let values) = self { return values }
        return nil
    }
}

/// A thread that answers requests, as an event loop does; the requests reach it under a pthread
/// mutex, which TSan sees, so only the way back (the resume) is in question.
final class Responder: @unchecked Sendable {
    private var queue: [CheckedContinuation<Value, Never>] = []
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    let resumesLate: Bool

    init(resumesLate: Bool) {
        self.resumesLate = resumesLate
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
    }

    func submit(_ continuation: CheckedContinuation<Value, Never>) {
        pthread_mutex_lock(&mutex)
        queue.append(continuation)
        pthread_cond_signal(&condition)
        pthread_mutex_unlock(&mutex)
    }

    func run() {
        var count = 0
        while true {
            pthread_mutex_lock(&mutex)
            while queue.isEmpty { pthread_cond_wait(&condition, &mutex) }
            let continuation = queue.removeFirst()
            pthread_mutex_unlock(&mutex)
            count += 1
            let reply = Value.array([.int(count), .array([.int(count)])])
            if resumesLate { usleep(500) }
            continuation.resume(returning: reply)
        }
    }
}

@main
struct Main {
    static func main() async {
        let mode = CommandLine.arguments.dropFirst().first ?? "early"
        let responder = Responder(resumesLate: mode == "late")
        Thread { responder.run() }.start()
        var total = 0
        for _ in 0..<300 {
            let reply = await withCheckedContinuation { continuation in
                responder.submit(continuation)
                if mode == "early" { usleep(500) }  // the resume comes before the await
            }
            total += (reply.array?.count ?? 0) + (reply.array?[1].array?.count ?? 0)
        }
        print(mode, "done", total)
    }
}
