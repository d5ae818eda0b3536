// Is Synchronization.Mutex visible to ThreadSanitizer? Two threads append to one array under a
// lock: no race by construction. With `mutex` TSan reports a "Swift access race" (the standard
// library's futex-based lock is not instrumented); with `pthread` (a lock TSan intercepts) none.
// With `race` they append with no lock at all: a real race, which suppressions.txt must not hide.
//   swiftc -sanitize=thread scripts/tsan/mutex-is-invisible.swift -o /tmp/mutex-check
//   /tmp/mutex-check mutex; /tmp/mutex-check pthread; /tmp/mutex-check race
//   TSAN_OPTIONS=suppressions=scripts/tsan/suppressions.txt /tmp/mutex-check mutex   # no report
//   TSAN_OPTIONS=suppressions=scripts/tsan/suppressions.txt /tmp/mutex-check race    # reported
import Dispatch
import Foundation
import Glibc
import Synchronization

final class PthreadLocked: @unchecked Sendable {
    private var value: [Int] = []
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    func withLock<R>(_ body: (inout [Int]) -> R) -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body(&value)
    }
}

final class Shared: @unchecked Sendable {
    let mutex = Mutex<[Int]>([])
    let pthread = PthreadLocked()
    var unlocked: [Int] = []
}

let shared = Shared()
let mode = CommandLine.arguments.dropFirst().first ?? "mutex"
let done = DispatchGroup()
for _ in 0..<2 {
    done.enter()
    Thread {
        for value in 0..<20_000 {
            switch mode {
            case "pthread": shared.pthread.withLock { $0.append(value) }
            case "race": shared.unlocked.append(value)
            default: shared.mutex.withLock { $0.append(value) }
            }
        }
        done.leave()
    }.start()
}
done.wait()
print(mode, "done")
