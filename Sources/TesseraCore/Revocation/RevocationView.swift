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

    fileprivate struct State {
        /// sid → ms after which no access token of the session is valid.
        var sessions = IDMap()
        /// jti → ms at which the token expires.
        var tokens = IDMap()
        /// user id → not-before NumericDate seconds.
        var notBefore = IDMap()
        /// user id → ms after which no token issued before the user's not-before is valid.
        var notBeforeUntil = IDMap()
        var applied = EventID.zero
    }

    private let state = Mutex(State())

    /// How long a not-before entry is kept when its event does not say (events written before
    /// they carried `expires_at`): the longest access-token lifetime a node accepts, a year.
    public static let legacyNotBeforeLifetimeMilliseconds: Int64 = 31_536_000_000

    /// Creates an empty view.
    public init() {}

    /// Whether the token with these claims is revoked: three dictionary lookups under one
    /// lock, keyed by the ids' 16 bytes. No allocation.
    public func verdict(for claims: AccessTokenClaims) -> Verdict? {
        state.withLock { state in
            if state.sessions[claims.sessionIDClaim] != nil { return .sessionRevoked }
            if state.tokens[claims.tokenIDClaim] != nil { return .tokenRevoked }
            if let seconds = state.notBefore[claims.subjectID], claims.issuedAt < seconds { return .issuedBeforeForcedLogout }
            return nil
        }
    }

    /// The newest event id applied (or loaded) so far.
    public var appliedThrough: EventID {
        state.withLock { $0.applied }
    }

    /// How many entries the view holds.
    public var count: Int {
        state.withLock { $0.sessions.count + $0.tokens.count + $0.notBefore.count }
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

    /// Every entry the view holds, in no particular order. O(entries), under the lock.
    public func entries() -> [Entry] {
        state.withLock { state in
            var entries: [Entry] = []
            entries.reserveCapacity(state.sessions.count + state.tokens.count + state.notBefore.count)
            state.sessions.forEachEntry { entries.append(.session(id: $0.string, until: $1)) }
            state.tokens.forEachEntry { entries.append(.token(id: $0.string, until: $1)) }
            state.notBefore.forEachEntry { user, seconds in
                let until = state.notBeforeUntil[user] ?? seconds * 1000 + Self.legacyNotBeforeLifetimeMilliseconds
                entries.append(.notBefore(userID: user.string, seconds: seconds, until: until))
            }
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
        let loaded = State(
            sessions: IDMap(sessions),
            tokens: IDMap(tokens),
            notBefore: IDMap(notBefore),
            notBeforeUntil: IDMap(until),
            applied: position
        )
        state.withLock { $0 = loaded }
    }

    /// Drops entries that no unexpired token could match: each entry carries that time, decided
    /// by the node that wrote it, so a node's own TTL never shortens a revocation. O(entries).
    public func prune(now milliseconds: Int64) {
        state.withLock { state in
            state.sessions.keep { $0 > milliseconds }
            state.tokens.keep { $0 > milliseconds }
            for user in state.notBeforeUntil.ids(where: { $0 <= milliseconds }) {
                state.notBefore.remove(user)
                state.notBeforeUntil.remove(user)
            }
        }
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
    fileprivate mutating func apply(_ change: RevocationView.Change) {
        switch change {
        case .session(let sid, let until): sessions.raise(sid, to: until)
        case .token(let jti, let until): tokens.raise(jti, to: until)
        case .notBefore(let user, let seconds, let until):
            notBefore.raise(user, to: seconds)
            notBeforeUntil.raise(user, to: until)
        }
    }
}

/// Revocation entries by id, each with one number (an expiry or a not-before time): ids in
/// ``OpaqueID`` form, which is every id Tessera makes, in a dictionary of 16-byte keys (24
/// bytes a slot), and any other id by its text.
private struct IDMap {
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

    /// Removes the entry of `id`.
    mutating func remove(_ id: ClaimID) {
        switch id {
        case .compact(let id): compact[id] = nil
        case .text(let id): text[id] = nil
        }
    }

    /// Keeps only the entries whose value passes `isLive`.
    mutating func keep(where isLive: (Int64) -> Bool) {
        compact = compact.filter { isLive($0.value) }
        text = text.filter { isLive($0.value) }
    }
}
