public import Logging
public import TesseraCore
public import TesseraStore

/// A signed-in user's sessions: logout, logout everywhere, ending one session, the listing,
/// and the RFC 7009/7662 endpoints that take a token in hand.
public struct SessionService: Sendable {
    private let store: EventStore
    private let state: NodeState
    private let issuer: String
    private let logger: Logger

    /// Creates the service.
    public init(store: EventStore, state: NodeState, issuer: String, logger: Logger) {
        self.store = store
        self.state = state
        self.issuer = issuer
        self.logger = logger
    }

    /// Ends the caller's session: its refresh token and every access token of it.
    public func logout(_ caller: AccessTokenClaims) async throws(AuthError) -> Revocation {
        try await revoke(RevokeSessions(userID: caller.subject, scope: .one(caller.sessionID), reason: .logout)) ?? Revocation(events: [])
    }

    /// Ends every session of the caller.
    public func logoutEverywhere(_ caller: AccessTokenClaims) async throws(AuthError) -> Revocation {
        try await revoke(RevokeSessions(userID: caller.subject, scope: .all, reason: .logoutAll)) ?? Revocation(events: [])
    }

    /// Ends one of the caller's own live sessions.
    /// - Throws: `AuthError` `.notFound` when `sessionID` is not a live session of the caller.
    public func endSession(_ sessionID: String, of caller: AccessTokenClaims) async throws(AuthError) -> Revocation {
        guard let revocation = try await revoke(RevokeSessions(userID: caller.subject, scope: .one(sessionID), reason: .logout)) else {
            throw AuthError(.notFound, "no such session")
        }
        return revocation
    }

    /// The caller's live sessions, newest first.
    public func sessions(of caller: AccessTokenClaims) async throws(AuthError) -> [SessionRecord] {
        do {
            return try await store.liveSessions(ofUser: caller.subject, now: Timestamp.nowMilliseconds())
        } catch {
            throw .store(error)
        }
    }

    /// RFC 7009: revokes an access token (its `jti`) or a refresh token (its session).
    ///
    /// Holding the token is the authority. An unknown or already revoked token revokes nothing
    /// and is no error. `hint` (`access_token` or `refresh_token`) only says which kind to try
    /// first: when it does not match, the other is tried (RFC 7009 §2.1).
    public func revoke(token: String, hint: String?) async throws(AuthError) -> Revocation {
        var events: [RecordedEvent] = []
        do {
            for kind in Self.order(hint) where events.isEmpty {
                switch kind {
                case .access:
                    guard let claims = verifiedIgnoringRevocation(token) else { continue }
                    let revoked = AccessTokenRevoked(
                        userID: claims.subject,
                        tokenID: claims.tokenID,
                        sessionID: claims.sessionID,
                        expiresAt: claims.expiresAt * 1000
                    )
                    events = try await store.run(RevokeAccessToken(revoked))
                    if events.isEmpty { return Revocation(events: []) }  // already revoked
                case .refresh:
                    guard token.utf8.count <= TokenService.maxRefreshTokenBytes else { continue }
                    events = try await store.run(RevokeRefreshToken(refreshHash: OpaqueToken.sha256Hex(token)))
                }
            }
        } catch {
            throw .store(error)
        }
        state.apply(events)
        return Revocation(events: events)
    }

    /// RFC 7662: whether a token is active, and what it says. `hint` only says which kind to
    /// look for first (RFC 7662 §2.1).
    public func introspect(token: String, hint: String?) async throws(AuthError) -> Introspection {
        for kind in Self.order(hint) {
            switch kind {
            case .access:
                guard let claims = verifiedIgnoringRevocation(token) else { continue }
                return state.revocations.verdict(for: claims) == nil ? .accessToken(claims) : .inactive
            case .refresh:
                if let info = try await refreshTokenInfo(token) { return .refreshToken(info) }
            }
        }
        return .inactive
    }

    private enum TokenKind { case access, refresh }

    /// The kinds to try, the hinted one first.
    private static func order(_ hint: String?) -> [TokenKind] {
        hint == "refresh_token" ? [.refresh, .access] : [.access, .refresh]
    }

    /// The session and user of an active refresh token: the current one of a live session of
    /// an enabled user.
    private func refreshTokenInfo(_ token: String) async throws(AuthError) -> Introspection.RefreshTokenInfo? {
        guard token.utf8.count <= TokenService.maxRefreshTokenBytes else { return nil }
        let hash = OpaqueToken.sha256Hex(token)
        do {
            guard let session = try await store.session(refreshHash: hash),
                session.isLive(now: Timestamp.nowMilliseconds()), session.refreshHash == hash,
                let user = try await store.user(id: session.userID), !user.isDisabled
            else {
                return nil
            }
            return .init(session: session, user: user, issuer: issuer)
        } catch {
            throw .store(error)
        }
    }

    /// Signature and claims only: a token already revoked can still be named for revocation.
    private func verifiedIgnoringRevocation(_ token: String) -> AccessTokenClaims? {
        try? state.verifier.verify(token, now: Timestamp.nowSeconds())
    }

    /// Runs a revoking command and applies its events here; nil when there was no such session.
    private func revoke(_ command: RevokeSessions) async throws(AuthError) -> Revocation? {
        let outcome: RevokeSessions.Outcome
        do {
            outcome = try await store.run(command)
        } catch {
            throw .store(error)
        }
        guard case .revoked(let events) = outcome else { return nil }
        state.apply(events)
        return Revocation(events: events)
    }
}
