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

    /// A `ZRANGE ... WITHSCORES` reply: member → score.
    private static func scores(_ reply: RedisValue) -> [String: Int64] {
        fields(of: reply).compactMapValues { Double($0).map { Int64($0) } }
    }
}
