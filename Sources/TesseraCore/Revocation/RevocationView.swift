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
        var sessions: [String: Int64] = [:]
        /// jti → ms at which the token expires.
        var tokens: [String: Int64] = [:]
        /// user id → (not-before NumericDate seconds, ms after which the entry can go).
        var notBefore: [String: (seconds: Int64, until: Int64)] = [:]
        var applied = EventID.zero
    }

    private let state = Mutex(State())
    /// The access-token lifetime, which bounds how long a forced-logout entry must be kept.
    public let accessTokenTTLMilliseconds: Int64

    /// Creates an empty view.
    public init(accessTokenTTLSeconds: Int64) {
        self.accessTokenTTLMilliseconds = accessTokenTTLSeconds * 1000
    }

    /// Whether the token with these claims is revoked: three dictionary lookups under one lock.
    public func verdict(for claims: AccessTokenClaims) -> Verdict? {
        state.withLock { state in
            if state.sessions[claims.sessionID] != nil { return .sessionRevoked }
            if state.tokens[claims.tokenID] != nil { return .tokenRevoked }
            if let entry = state.notBefore[claims.subject], claims.issuedAt < entry.seconds { return .issuedBeforeForcedLogout }
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
        let change = Self.change(for: event, ttl: accessTokenTTLMilliseconds)
        state.withLock { state in
            switch change {
            case .session(let sid, let until): state.sessions[sid] = max(state.sessions[sid] ?? 0, until)
            case .token(let jti, let until): state.tokens[jti] = max(state.tokens[jti] ?? 0, until)
            case .notBefore(let user, let seconds, let until):
                let current = state.notBefore[user]
                if current == nil || current!.seconds < seconds { state.notBefore[user] = (seconds, until) }
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
        let ttl = accessTokenTTLMilliseconds
        state.withLock { state in
            state.sessions = sessions
            state.tokens = tokens
            state.notBefore = notBefore.mapValues { (seconds: $0, until: $0 * 1000 + ttl) }
            state.applied = position
        }
    }

    /// Drops entries that no unexpired token could match. O(entries).
    public func prune(now milliseconds: Int64) {
        state.withLock { state in
            state.sessions = state.sessions.filter { $0.value > milliseconds }
            state.tokens = state.tokens.filter { $0.value > milliseconds }
            state.notBefore = state.notBefore.filter { $0.value.until > milliseconds }
        }
    }

    private enum Change {
        case session(String, until: Int64)
        case token(String, until: Int64)
        case notBefore(String, seconds: Int64, until: Int64)
    }

    private static func change(for event: RecordedEvent, ttl: Int64) -> Change? {
        switch event.type {
        case .sessionRevoked:
            guard let revoked = try? event.decode(as: SessionRevoked.self) else { return nil }
            return .session(revoked.sessionID, until: revoked.accessExpiresAt)
        case .accessTokenRevoked:
            guard let revoked = try? event.decode(as: AccessTokenRevoked.self) else { return nil }
            return .token(revoked.tokenID, until: revoked.expiresAt)
        case .userLoggedOutEverywhere:
            guard let forced = try? event.decode(as: UserLoggedOutEverywhere.self) else { return nil }
            return .notBefore(forced.userID, seconds: forced.notBefore, until: forced.notBefore * 1000 + ttl)
        case .userDisabled:
            guard let disabled = try? event.decode(as: UserDisabled.self) else { return nil }
            return .notBefore(disabled.userID, seconds: disabled.notBefore, until: disabled.notBefore * 1000 + ttl)
        default:
            return nil
        }
    }
}
