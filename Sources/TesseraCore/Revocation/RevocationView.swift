import Synchronization

/// The in-memory revocation view of one node: revoked session ids, revoked token ids, and each
/// user's "not before" time of a forced logout.
///
/// Many request threads read it; the node's own revoking calls and the log follower write it.
/// Every entry carries the time after which no token it could match is still valid, and
/// `prune(now:)` drops those, so memory is bounded by what is both revoked and unexpired.
public final class RevocationView: Sendable {
    /// Why a token is revoked.
    public enum Verdict: String, Sendable {
        /// Its session was revoked (logout, forced logout, reuse, password change, ...).
        case sessionRevoked = "session_revoked"
        /// The token itself was revoked (RFC 7009).
        case tokenRevoked = "token_revoked"
        /// It was issued before its user's forced logout.
        case issuedBeforeForcedLogout = "logged_out_everywhere"
    }

    /// One revocation as the view holds it and the revocation feed carries it: an id and the
    /// time (ms) after which no token it could match is valid, when it may be dropped.
    public enum Entry: Sendable, Hashable {
        /// A revoked session: every access token whose `sid` is `id`.
        case session(id: String, until: Int64)
        /// A revoked access token: the one whose `jti` is `id`.
        case token(id: String, until: Int64)
        /// A forced logout or disable: every token of the user issued before `seconds` (NumericDate).
        case notBefore(userID: String, seconds: Int64, until: Int64)

        /// When the entry may be dropped (ms since the epoch).
        public var until: Int64 {
            switch self {
            case .session(_, let until), .token(_, let until), .notBefore(_, _, let until): until
            }
        }
    }

    /// The view's maps.
    fileprivate struct Tables: Sendable {
        /// sid → ms after which no access token of the session is valid.
        var sessions = IDMap()
        /// jti → ms at which the token expires.
        var tokens = IDMap()
        /// user id → not-before NumericDate seconds.
        var notBefore = IDMap()
        /// user id → ms after which no token issued before the user's not-before is valid.
        var notBeforeUntil = IDMap()

        var count: Int { sessions.count + tokens.count + notBefore.count }
    }

    fileprivate struct State {
        var tables = Tables()
        /// While a prune filters a snapshot of `tables` outside the lock: every change since the
        /// snapshot. `tables` is not written meanwhile — a write would copy every map the
        /// snapshot shares, O(entries) under the lock — so lookups read both.
        var pending: Tables?
        /// Bumped by `load`: a prune that started before it must not swap in its result.
        var generation: UInt64 = 0
        var applied = EventID.zero

        init() {}

        init(tables: Tables, applied: EventID) {
            self.tables = tables
            self.applied = applied
        }
    }

    private let state = Mutex(State())

    /// How long a not-before entry is kept when its event does not say (events written before
    /// they carried `expires_at`): the longest access-token lifetime a node accepts, a year.
    public static let legacyNotBeforeLifetimeMilliseconds: Int64 = 31_536_000_000

    /// Creates an empty view.
    public init() {}

    /// Whether the token with these claims is revoked: three dictionary lookups under one
    /// lock, keyed by the ids' 16 bytes (three more in the change set while a prune runs). No
    /// allocation.
    public func verdict(for claims: AccessTokenClaims) -> Verdict? {
        state.withLock { state in
            if let verdict = state.tables.verdict(for: claims) { return verdict }
            guard let pending = state.pending else { return nil }
            return pending.verdict(for: claims)
        }
    }

    /// The newest event id applied (or loaded) so far.
    public var appliedThrough: EventID {
        state.withLock { $0.applied }
    }

    /// How many entries the view holds (while a prune runs, an id revoked again since it began
    /// may count twice).
    public var count: Int {
        state.withLock { $0.tables.count + ($0.pending?.count ?? 0) }
    }

    /// Applies one event of the log; events that revoke nothing only advance `appliedThrough`.
    ///
    /// Idempotent, and events older than `appliedThrough` are still applied (a node applies its
    /// own revocations before the follower reaches them).
    public func apply(_ event: RecordedEvent) {
        let change = Self.change(for: event)
        state.withLock { state in
            if let change { state.apply(change) }
            if event.id > state.applied { state.applied = event.id }
        }
    }

    /// Applies entries (from the revocation feed), then advances `appliedThrough` to `position`
    /// if it is newer. Idempotent, like ``apply(_:)``.
    public func apply(_ entries: some Sequence<Entry>, through position: EventID) {
        let changes = entries.map(Change.init)
        state.withLock { state in
            for change in changes { state.apply(change) }
            if position > state.applied { state.applied = position }
        }
    }

    /// The revocation an event of the log makes, or nil for an event that revokes nothing.
    public static func entry(for event: RecordedEvent) -> Entry? {
        change(for: event).map(\.entry)
    }

    /// Every entry the view holds, in no particular order (an id revoked again while a prune
    /// runs may appear twice). O(entries), under the lock.
    public func entries() -> [Entry] {
        state.withLock { state in
            var entries: [Entry] = []
            entries.reserveCapacity(state.tables.count + (state.pending?.count ?? 0))
            state.tables.appendEntries(to: &entries)
            state.pending?.appendEntries(to: &entries)
            return entries
        }
    }

    /// Replaces the view with a snapshot of the revocation projection taken at log position `position`.
    ///
    /// - Parameters:
    ///   - notBefore: user id → not-before seconds.
    ///   - notBeforeUntil: user id → when the not-before entry may go (ms); a user missing here
    ///     keeps the entry for ``legacyNotBeforeLifetimeMilliseconds`` past the not-before.
    public func load(
        sessions: [String: Int64],
        tokens: [String: Int64],
        notBefore: [String: Int64],
        notBeforeUntil: [String: Int64] = [:],
        position: EventID
    ) {
        var until = notBeforeUntil
        for (user, seconds) in notBefore where until[user] == nil {
            until[user] = seconds * 1000 + Self.legacyNotBeforeLifetimeMilliseconds
        }
        var loaded = State(
            tables: Tables(sessions: IDMap(sessions), tokens: IDMap(tokens), notBefore: IDMap(notBefore), notBeforeUntil: IDMap(until)),
            applied: position
        )
        state.withLock { state in
            loaded.generation = state.generation &+ 1
            swap(&state, &loaded)
        }
        // The replaced maps are freed here, outside the lock.
    }

    /// Drops entries that no unexpired token could match: each entry carries that time, decided
    /// by the node that wrote it, so a node's own TTL never shortens a revocation.
    ///
    /// O(entries) of work, but none of it under the lock that token checks take: under the lock
    /// it only opens a change set (O(1)), then filters a snapshot of the maps with the lock free
    /// (checks and revocations go on meanwhile, new revocations into the change set), and under
    /// the lock again swaps the filtered maps in and adds the change set to them (O(changes made
    /// during the prune)). The old maps are freed after the lock is released. A `load` during the
    /// prune wins: the prune's result is dropped. Concurrent prunes: all but one return at once.
    public func prune(now milliseconds: Int64) {
        prune(now: milliseconds, whileFiltering: {})
    }

    /// ``prune(now:)``, calling `whileFiltering` between the two lock holds, with the lock free
    /// (for tests of that structure).
    package func prune(now milliseconds: Int64, whileFiltering: () -> Void) {
        let started: (snapshot: Tables, generation: UInt64)? = state.withLock { state in
            guard state.pending == nil else { return nil }
            state.pending = Tables()
            return (state.tables, state.generation)
        }
        guard let started else { return }
        var filtered = started.snapshot
        filtered.dropExpired(at: milliseconds)
        whileFiltering()
        state.withLock { state in
            guard state.generation == started.generation, let pending = state.pending else { return }
            filtered.merge(pending)
            state.pending = nil
            swap(&state.tables, &filtered)
        }
        // `filtered` now holds the unfiltered maps: they are freed here, after the lock is
        // released. The view's maps are referenced by the view alone, so its next write does not
        // copy them.
    }

    /// Whether the view's lock is free right now (for tests: a prune must not hold it while it filters).
    package var isLockFree: Bool {
        state.withLockIfAvailable { _ in true } ?? false
    }

    fileprivate enum Change {
        case session(ClaimID, until: Int64)
        case token(ClaimID, until: Int64)
        case notBefore(ClaimID, seconds: Int64, until: Int64)

        init(_ entry: Entry) {
            switch entry {
            case .session(let id, let until): self = .session(ClaimID(id), until: until)
            case .token(let id, let until): self = .token(ClaimID(id), until: until)
            case .notBefore(let user, let seconds, let until): self = .notBefore(ClaimID(user), seconds: seconds, until: until)
            }
        }

        var entry: Entry {
            switch self {
            case .session(let id, let until): .session(id: id.string, until: until)
            case .token(let id, let until): .token(id: id.string, until: until)
            case .notBefore(let user, let seconds, let until): .notBefore(userID: user.string, seconds: seconds, until: until)
            }
        }
    }

    private static func change(for event: RecordedEvent) -> Change? {
        switch event.type {
        case .sessionRevoked:
            guard let revoked = try? event.decode(as: SessionRevoked.self) else { return nil }
            return .session(ClaimID(revoked.sessionID), until: revoked.accessExpiresAt)
        case .accessTokenRevoked:
            guard let revoked = try? event.decode(as: AccessTokenRevoked.self) else { return nil }
            return .token(ClaimID(revoked.tokenID), until: revoked.expiresAt)
        case .userLoggedOutEverywhere:
            guard let forced = try? event.decode(as: UserLoggedOutEverywhere.self) else { return nil }
            return .notBefore(ClaimID(forced.userID), seconds: forced.notBefore, until: until(forced.notBefore, forced.expiresAt))
        case .userDisabled:
            guard let disabled = try? event.decode(as: UserDisabled.self) else { return nil }
            return .notBefore(ClaimID(disabled.userID), seconds: disabled.notBefore, until: until(disabled.notBefore, disabled.expiresAt))
        default:
            return nil
        }
    }

    private static func until(_ notBefore: Int64, _ expiresAt: Int64?) -> Int64 {
        expiresAt ?? notBefore * 1000 + legacyNotBeforeLifetimeMilliseconds
    }
}

extension RevocationView.State {
    /// Applies a change to the maps, or to the change set while a prune runs.
    fileprivate mutating func apply(_ change: RevocationView.Change) {
        if pending != nil {
            pending!.apply(change)
        } else {
            tables.apply(change)
        }
    }
}

extension RevocationView.Tables {
    fileprivate func verdict(for claims: AccessTokenClaims) -> RevocationView.Verdict? {
        if sessions[claims.sessionIDClaim] != nil { return .sessionRevoked }
        if tokens[claims.tokenIDClaim] != nil { return .tokenRevoked }
        if let seconds = notBefore[claims.subjectID], claims.issuedAt < seconds { return .issuedBeforeForcedLogout }
        return nil
    }

    fileprivate mutating func apply(_ change: RevocationView.Change) {
        switch change {
        case .session(let sid, let until): sessions.raise(sid, to: until)
        case .token(let jti, let until): tokens.raise(jti, to: until)
        case .notBefore(let user, let seconds, let until):
            notBefore.raise(user, to: seconds)
            notBeforeUntil.raise(user, to: until)
        }
    }

    /// Adds every entry of `other`, keeping the larger value of an id in both.
    fileprivate mutating func merge(_ other: RevocationView.Tables) {
        other.sessions.forEachEntry { sessions.raise($0, to: $1) }
        other.tokens.forEachEntry { tokens.raise($0, to: $1) }
        other.notBefore.forEachEntry { notBefore.raise($0, to: $1) }
        other.notBeforeUntil.forEachEntry { notBeforeUntil.raise($0, to: $1) }
    }

    /// Drops the entries whose time (ms) is at or before `milliseconds`. Every map is rebuilt,
    /// so none shares storage with the maps it was copied from.
    fileprivate mutating func dropExpired(at milliseconds: Int64) {
        sessions.keep { $0 > milliseconds }
        tokens.keep { $0 > milliseconds }
        let expiredUsers = Set(notBeforeUntil.ids(where: { $0 <= milliseconds }))
        notBeforeUntil.keep { $0 > milliseconds }
        notBefore.keepEntries { user, _ in !expiredUsers.contains(user) }
    }

    fileprivate func appendEntries(to entries: inout [RevocationView.Entry]) {
        sessions.forEachEntry { entries.append(.session(id: $0.string, until: $1)) }
        tokens.forEachEntry { entries.append(.token(id: $0.string, until: $1)) }
        notBefore.forEachEntry { user, seconds in
            let until = notBeforeUntil[user] ?? seconds * 1000 + RevocationView.legacyNotBeforeLifetimeMilliseconds
            entries.append(.notBefore(userID: user.string, seconds: seconds, until: until))
        }
    }
}

/// Revocation entries by id, each with one number (an expiry or a not-before time): ids in
/// ``OpaqueID`` form, which is every id Tessera makes, in a dictionary of 16-byte keys (24
/// bytes a slot), and any other id by its text.
private struct IDMap: Sendable {
    private var compact: [OpaqueID: Int64] = [:]
    private var text: [String: Int64] = [:]

    init() {}

    init(_ entries: [String: Int64]) {
        compact.reserveCapacity(entries.count)
        for (id, value) in entries { raise(ClaimID(id), to: value) }
    }

    var count: Int { compact.count + text.count }

    subscript(id: ClaimID) -> Int64? {
        switch id {
        case .compact(let id): compact[id]
        case .text(let id): text[id]
        }
    }

    /// Sets the entry to `value` unless it already holds a larger one.
    mutating func raise(_ id: ClaimID, to value: Int64) {
        switch id {
        case .compact(let id): compact[id] = max(compact[id] ?? .min, value)
        case .text(let id): text[id] = max(text[id] ?? .min, value)
        }
    }

    /// The ids whose value passes `matches`.
    func ids(where matches: (Int64) -> Bool) -> [ClaimID] {
        compact.compactMap { matches($0.value) ? .compact($0.key) : nil } + text.compactMap { matches($0.value) ? .text($0.key) : nil }
    }

    /// Calls `body` with every entry.
    func forEachEntry(_ body: (ClaimID, Int64) -> Void) {
        for (id, value) in compact { body(.compact(id), value) }
        for (id, value) in text { body(.text(id), value) }
    }

    /// Keeps only the entries whose value passes `isLive`, in new storage.
    mutating func keep(where isLive: (Int64) -> Bool) {
        compact = compact.filter { isLive($0.value) }
        text = text.filter { isLive($0.value) }
    }

    /// Keeps only the entries that pass `isKept`, in new storage.
    mutating func keepEntries(where isKept: (ClaimID, Int64) -> Bool) {
        compact = compact.filter { isKept(.compact($0.key), $0.value) }
        text = text.filter { isKept(.text($0.key), $0.value) }
    }
}
