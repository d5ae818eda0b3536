import RedisClient
public import TesseraCore

/// The revocation projection as one consistent read: what a node loads before it follows the log.
public struct RevocationSnapshot: Sendable, Equatable {
    /// The newest event the snapshot reflects; following resumes after it.
    public var position: EventID
    /// Revoked session ids → ms after which no access token of the session is valid.
    public var sessions: [String: Int64]
    /// Revoked token ids → ms at which the token expires.
    public var tokens: [String: Int64]
    /// User ids → not-before time (NumericDate seconds) of their last forced logout or disable.
    public var notBefore: [String: Int64]
    /// User ids → ms after which no token issued before their not-before is valid.
    public var notBeforeUntil: [String: Int64]

    /// Creates a snapshot.
    public init(
        position: EventID,
        sessions: [String: Int64],
        tokens: [String: Int64],
        notBefore: [String: Int64],
        notBeforeUntil: [String: Int64]
    ) {
        self.position = position
        self.sessions = sessions
        self.tokens = tokens
        self.notBefore = notBefore
        self.notBeforeUntil = notBeforeUntil
    }
}

extension EventStore {
    /// The revocation projection and the log position it reflects, read by one script so the
    /// two agree; entries already expired at `nowMilliseconds` are left out.
    ///
    /// The script runs as EVALSHA_RO, so a Redis user that may only read the log and the
    /// revocation keys can load it (an API node's verifier).
    public func loadRevocations(nowMilliseconds: Int64) async throws(StoreError) -> RevocationSnapshot {
        let reply = try await evaluate(.revocations, [String(nowMilliseconds)], readOnly: true)
        guard let parts = reply.array, parts.count == 5, let headText = parts[0].string, let head = EventID(headText) else {
            throw StoreError(.corruptData, "revocations.lua returned a reply of unexpected shape")
        }
        return RevocationSnapshot(
            position: head,
            sessions: Self.scores(parts[1]),
            tokens: Self.scores(parts[2]),
            notBefore: Self.scores(parts[3]),
            notBeforeUntil: Self.scores(parts[4])
        )
    }

    /// A `ZRANGE ... WITHSCORES` reply: member → score as an integer.
    static func scores(_ reply: RedisValue) -> [String: Int64] {
        fields(of: reply).compactMapValues(Self.integerScore)
    }

    /// A sorted-set score as Redis prints it, as an integer without trapping: integers as they
    /// are, other numbers rounded down, `inf` and values beyond `Int64` clamped to its range
    /// (a revocation that never ends stays; one that ended long ago goes), `nan` and text dropped.
    static func integerScore(_ text: String) -> Int64? {
        if let integer = Int64(text) { return integer }
        guard let number = Double(text), !number.isNaN else { return nil }
        if number >= 9.223_372_036_854_775_807e18 { return .max }
        if number <= -9.223_372_036_854_775_808e18 { return .min }
        return Int64(number.rounded(.down))
    }
}
