// Resident size of the revocation view with 1,000,000 revoked, unexpired entries, in bytes
// per entry: RSS from /proc/self/statm before the entries exist and after the view holds them
// and the source dictionaries are gone. Linux only.
import Foundation
import TesseraCore

func residentBytes() -> Int {
    let statm = try! String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
    let pages = Int(statm.split(separator: " ")[1])!
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

let count = 1_000_000
let now = Int64(Date().timeIntervalSince1970) * 1000
let view = RevocationView(accessTokenTTLSeconds: 900)
// Ids as Tessera makes them. They are created after the baseline, since the view holds their
// storage (a 22-byte id is not a small string), and the temporaries are freed before the end.
let idBytes = OpaqueToken.makeID().utf8.count
let before = residentBytes()
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
let after = residentBytes()
let perEntry = Double(after - before) / Double(count)
print(String(format: "revocation view: %d entries, %d-byte ids, RSS +%.1f MiB, %.1f bytes/entry (ids stored inline in Swift small strings: %@)",
    count, idBytes, Double(after - before) / 1_048_576, perEntry, idBytes <= 15 ? "yes" : "no"))
print(String(format: "BYTES_PER_ENTRY %.1f", perEntry))
