// Memory of the revocation view with 1,000,000 revoked, unexpired entries, in bytes per
// entry, measured two ways around loading them: the heap bytes in use (glibc's mallinfo2,
// exact) and the resident size (/proc/self/statm, after malloc_trim hands the freed
// temporaries back, since glibc keeps freed memory resident otherwise). Linux only.
import CMalloc
import Foundation
import TesseraCore

func heapBytesInUse() -> Int {
    let info = mallinfo2()
    return Int(info.uordblks + info.hblkhd)
}

func residentBytes() -> Int {
    malloc_trim(0)
    let statm = try! String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
    let pages = Int(statm.split(separator: " ")[1])!
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

let count = 1_000_000
let now = Int64(Date().timeIntervalSince1970) * 1000
let view = RevocationView()
// Ids as Tessera makes them (22 characters: a Swift string of that length is on the heap, but
// the view keeps only their 16 bytes). The strings and the dictionaries they arrive in are
// temporaries, made after the baseline and freed before the end.
let idBytes = OpaqueToken.makeID().utf8.count
let before = (heap: heapBytesInUse(), resident: residentBytes())
do {
    // The shape the node loads: mostly revoked sessions, then revoked token ids.
    var sessions: [String: Int64] = [:]
    var tokens: [String: Int64] = [:]
    sessions.reserveCapacity(count * 9 / 10)
    tokens.reserveCapacity(count / 10)
    for index in 0..<count {
        let id = OpaqueToken.makeID()
        if index % 10 == 0 { tokens[id] = now + 900_000 } else { sessions[id] = now + 900_000 }
    }
    view.load(sessions: sessions, tokens: tokens, notBefore: [:], position: .zero)
}
precondition(view.count == count)
let heap = Double(heapBytesInUse() - before.heap)
let resident = Double(residentBytes() - before.resident)
print(
    String(
        format: "revocation view: %d entries (%d-byte ids), heap in use +%.1f MiB = %.1f bytes/entry, resident +%.1f MiB = %.1f bytes/entry",
        count,
        idBytes,
        heap / 1_048_576,
        heap / Double(count),
        resident / 1_048_576,
        resident / Double(count)
    )
)
print(String(format: "BYTES_PER_ENTRY %.1f", max(heap, resident) / Double(count)))
