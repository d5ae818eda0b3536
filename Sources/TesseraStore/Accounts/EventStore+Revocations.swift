import RedisClient
public import TesseraCore

extension EventStore {
    /// Fills `view` with the revocation projection and the log position it reflects (one script,
    /// so the two agree); entries already expired at `now` (ms) are skipped.
    public func loadRevocations(into view: RevocationView, now: Int64) async throws(StoreError) {
        let reply = try await evaluate("revocations", [String(now)])
        guard let parts = reply.array, parts.count == 4, let headText = parts[0].string, let head = EventID(headText) else {
            throw StoreError(.corruptData, "revocations.lua returned \(reply)")
        }
        view.load(
            sessions: Self.scores(parts[1]),
            tokens: Self.scores(parts[2]),
            notBefore: Self.scores(parts[3]),
            position: head
        )
    }

    private static func scores(_ reply: RedisValue) -> [String: Int64] {
        let flat = reply.array ?? []
        var result: [String: Int64] = [:]
        var index = 0
        while index + 1 < flat.count {
            if let member = flat[index].string, let score = flat[index + 1].string.flatMap({ Double($0) }) {
                result[member] = Int64(score)
            }
            index += 2
        }
        return result
    }
}
