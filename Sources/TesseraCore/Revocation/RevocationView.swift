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

    private struct State {
        /// sid → ms after which no access token of the session is valid.
        var sessions = IDMap()
        /// jti → ms at which the token expires.
        var tokens = IDMap()
        /// user id → not-before NumericDate seconds; the entry can go at
        /// `seconds * 1000 + accessTokenTTLMilliseconds`.
        var notBefore = IDMap()
        var applied = EventID.zero
    }

    private let state = Mutex(State())
    /// The access-token lifetime, which bounds how long a forced-logout entry must be kept.
    public let accessTokenTTLMilliseconds: Int64

    /// Creates an empty view.
    public init(accessTokenTTLSeconds: Int64) {
        self.accessTokenTTLMilliseconds = accessTokenTTLSeconds * 1000
    }

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
            switch change {
            case .session(let sid, let until): state.sessions.raise(sid, to: until)
            case .token(let jti, let until): state.tokens.raise(jti, to: until)
            case .notBefore(let user, let seconds): state.notBefore.raise(user, to: seconds)
            case nil: break
            }
            if event.id > state.applied { state.applied = event.id }
        }
    }

    /// Replaces the view with a snapshot of the revocation projection taken at log position `position`.
    public func load(
        sessions: [String: Int64],
        tokens: [String: Int64],
        notBefore: [String: Int64],
        position: EventID
    ) {
        let loaded = State(sessions: IDMap(sessions), tokens: IDMap(tokens), notBefore: IDMap(notBefore), applied: position)
        state.withLock { $0 = loaded }
    }

    /// Drops entries that no unexpired token could match. O(entries).
    public func prune(now milliseconds: Int64) {
        let ttl = accessTokenTTLMilliseconds
        state.withLock { state in
            state.sessions.keep { $0 > milliseconds }
            state.tokens.keep { $0 > milliseconds }
            state.notBefore.keep { $0 * 1000 + ttl > milliseconds }
        }
    }

    private enum Change {
        case session(ClaimID, until: Int64)
        case token(ClaimID, until: Int64)
        case notBefore(ClaimID, seconds: Int64)
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
            return .notBefore(ClaimID(forced.userID), seconds: forced.notBefore)
        case .userDisabled:
            guard let disabled = try? event.decode(as: UserDisabled.self) else { return nil }
            return .notBefore(ClaimID(disabled.userID), seconds: disabled.notBefore)
        default:
            return nil
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

    /// Keeps only the entries whose value passes `isLive`.
    mutating func keep(where isLive: (Int64) -> Bool) {
        compact = compact.filter { isLive($0.value) }
        text = text.filter { isLive($0.value) }
    }
}
