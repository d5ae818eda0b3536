public import Logging
import TesseraCore
public import TesseraPasswords
public import TesseraStore

/// The token endpoint's use cases: the password grant (RFC 6749 §4.3), which opens a session,
/// and the refresh grant (§6), which rotates its refresh token.
public struct TokenService: Sendable {
    private let store: EventStore
    private let hasher: PasswordHasher
    private let state: NodeState
    private let issuer: AccessTokenIssuer
    private let configuration: TesseraConfiguration
    private let gate: PasswordCheckGate
    private let logger: Logger

    /// Creates the service.
    public init(
        store: EventStore,
        hasher: PasswordHasher,
        state: NodeState,
        issuer: AccessTokenIssuer,
        configuration: TesseraConfiguration,
        logger: Logger
    ) {
        self.store = store
        self.hasher = hasher
        self.state = state
        self.issuer = issuer
        self.configuration = configuration
        self.gate = PasswordCheckGate(store: store, hasher: hasher, policy: configuration.lockout, logger: logger)
        self.logger = logger
    }

    /// Longer strings are not refresh tokens (ours are 43 characters): refused without hashing.
    public static let maxRefreshTokenBytes = 512

    /// Logs in with a username and password and opens a session.
    ///
    /// The check is reserved before any hashing: a name gets at most the lockout threshold's
    /// worth of checks per window however many requests arrive at once, and while it is locked
    /// even the right password gets `.locked`. An unknown username costs the same hashing as a
    /// wrong password. Every failure is recorded (`LoginFailed`, and `UserLockedOut` past the
    /// threshold). A saturated hasher turns the request away before anything else is spent.
    /// - Parameter scope: space-separated roles to narrow the token to; nil or empty for all.
    /// - Throws: `AuthError` `.invalidGrant` (bad credentials, disabled user), `.invalidInput`,
    ///   `.locked`, `.overloaded`, `.storeFailure`.
    public func passwordGrant(username: String, password: [UInt8], scope: String?, client: ClientInfo) async throws(AuthError) -> IssuedTokens {
        guard (try? AccountRules.validateUsername(username)) != nil else { throw .badCredentials }
        guard password.count <= 1024 else { throw AuthError(.invalidInput, "password must be at most 1024 bytes") }
        let reservation = try await gate.admit(username: username.lowercased(), client: client)
        let matches = try await gate.check(password, for: reservation)
        guard let user = reservation.user, matches, !user.isDisabled else {
            let reason: LoginFailed.Reason = reservation.user == nil ? .unknownUser : (matches ? .disabled : .badPassword)
            state.apply(try await gate.fail(reservation, reason: reason))
            logger.info("login failed", metadata: ["tessera.login.reason": "\(reason)"])
            throw .badCredentials
        }

        var rehash: PasswordRehashed?
        if PasswordHashing.needsRehash(user.passwordHash) {
            do {
                rehash = PasswordRehashed(userID: user.id, passwordHash: try await hasher.hash(password))
            } catch {
                // The login itself succeeded; the upgrade waits for the next one.
                logger.warning("password rehash skipped", metadata: ["tessera.error": "\(error)"])
            }
        }
        let now = Timestamp.nowMilliseconds()
        let sessionID = OpaqueToken.makeID()
        let refreshToken = OpaqueToken.makeRefreshToken()
        let granted = GrantedScope(roles: user.roles, requested: scope)
        let access = issuer.issue(userID: user.id, username: user.username, sessionID: sessionID, scope: granted, nowMilliseconds: now)
        let login = LoginSucceeded(
            userID: user.id,
            username: reservation.username,
            sessionID: sessionID,
            refreshHash: OpaqueToken.sha256Hex(refreshToken),
            tokenID: access.tokenID,
            accessExpiresAt: access.expiresAtMilliseconds,
            expiresAt: now + configuration.refreshTokenTTL.wholeMilliseconds,
            ip: client.address,
            userAgent: client.userAgent,
            scope: granted.roles
        )
        let outcome: OpenSession.Outcome
        do {
            outcome = try await store.run(
                OpenSession(login: login, verifiedHash: user.passwordHash, rehash: rehash, nowMilliseconds: now, settling: reservation)
            )
        } catch {
            throw .store(error)
        }
        switch outcome {
        case .opened(let events):
            state.apply(events)
            logger.info("login succeeded", metadata: ["tessera.user.id": "\(user.id)", "tessera.session.id": "\(sessionID)"])
            return IssuedTokens(
                accessToken: access.token,
                expiresIn: issuer.lifetime.wholeSeconds,
                refreshToken: refreshToken,
                scope: access.scope
            )
        case .refused(.locked(let until)):
            throw Self.locked(until: until)
        case .refused:
            throw .badCredentials
        }
    }

    /// Presents a refresh token: rotates it and issues a new access token.
    ///
    /// Presenting a token rotated away before is reuse: the session is revoked (and this node
    /// applies the revocation before it answers). Within the reuse grace, the token just
    /// rotated away gets the rotation's answer again.
    /// - Throws: `AuthError` `.invalidGrant` or `.storeFailure`.
    public func refreshGrant(refreshToken presented: String, scope: String?, client: ClientInfo) async throws(AuthError) -> IssuedTokens {
        let refused = AuthError(.invalidGrant, "invalid, expired or revoked refresh token")
        guard presented.utf8.count <= Self.maxRefreshTokenBytes else { throw AuthError(.invalidGrant, "invalid refresh token") }
        let now = Timestamp.nowMilliseconds()
        let refreshToken = OpaqueToken.makeRefreshToken()
        let accessExpiresAt = issuer.expiry(issuedAtMilliseconds: now)
        let grace = configuration.refreshReuseGrace
        let command = RotateRefreshToken(
            presentedHash: OpaqueToken.sha256Hex(presented),
            newHash: OpaqueToken.sha256Hex(refreshToken),
            accessExpiresAt: accessExpiresAt * 1000,
            expiresAt: now + configuration.refreshTokenTTL.wholeMilliseconds,
            reuseGrace: grace,
            ip: client.address,
            userAgent: client.userAgent,
            sealedForGrace: grace > .zero ? RefreshGraceSeal.seal(refreshToken, with: presented) : "",
            nowMilliseconds: now
        )
        let outcome: RefreshOutcome
        do {
            outcome = try await store.run(command)
        } catch {
            throw .store(error)
        }
        switch outcome {
        case .rotated(let rotation):
            let access = issuer.issue(
                userID: rotation.user.id,
                username: rotation.user.username,
                sessionID: rotation.sessionID,
                scope: GrantedScope(roles: rotation.user.roles, requested: scope),
                nowMilliseconds: now,
                expiresAt: accessExpiresAt
            )
            return IssuedTokens(accessToken: access.token, expiresIn: issuer.lifetime.wholeSeconds, refreshToken: refreshToken, scope: access.scope)
        case .grace(let replay):
            // The same answer as the rotation it repeats: its refresh token, an access token of the
            // same expiry — unless that has passed, when the answer would be a dead token.
            let expiresAt = replay.accessExpiresAt / 1000
            guard expiresAt > now / 1000, let sameRefreshToken = RefreshGraceSeal.open(replay.sealedRefreshToken, with: presented) else {
                throw refused
            }
            let access = issuer.issue(
                userID: replay.user.id,
                username: replay.user.username,
                sessionID: replay.sessionID,
                scope: GrantedScope(roles: replay.user.roles, requested: scope),
                nowMilliseconds: now,
                expiresAt: expiresAt
            )
            return IssuedTokens(
                accessToken: access.token,
                expiresIn: max(0, expiresAt - now / 1000),
                refreshToken: sameRefreshToken,
                scope: access.scope
            )
        case .reused(let sessionID, let events):
            state.apply(events)
            logger.warning("refresh token reuse detected; session revoked", metadata: ["tessera.session.id": "\(sessionID)"])
            throw AuthError(.invalidGrant, "this refresh token was already used; the session is revoked")
        case .rejected:
            throw refused
        }
    }

    static func locked(until milliseconds: Int64) -> AuthError {
        let seconds = max(1, (milliseconds - Timestamp.nowMilliseconds() + 999) / 1000)
        return AuthError(.locked, "too many failed logins; try again later", retryAfter: .seconds(seconds))
    }

    /// A hasher failure: overloaded (503 with a retry) or an internal failure.
    static func hashing(_ error: PasswordHasherError) -> AuthError {
        error.code == .overloaded
            ? AuthError(.overloaded, "the server is busy; retry shortly", retryAfter: .seconds(1), underlying: error)
            : AuthError(.internalFailure, "the server failed to handle this request", underlying: error)
    }
}
