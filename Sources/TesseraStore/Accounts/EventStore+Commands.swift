public import TesseraCore

/// The commands of the login flow: each is one script that checks, appends and projects.
extension EventStore {
    /// What revoking sessions of a user covers.
    public enum SessionScope: Sendable {
        /// One live session of the user (else `.rejected(not_found)`).
        case one(String)
        /// Every live session.
        case all
        /// Every live session but this one.
        case allExcept(String)
    }

    /// Registers (or imports) a user; `.rejected(conflict)` when the name is taken.
    public func register(_ event: NewEvent) async throws(StoreError) -> ScriptOutcome {
        try await run("register", [event.type.name, String(event.version), text(event.data)])
    }

    /// Opens a session for a verified login, upgrading the hash when `rehash` is given.
    ///
    /// Rejections: `invalid_grant` (user gone or disabled), `retry` (the hash changed meanwhile),
    /// `locked` (detail: until, ms).
    public func openSession(
        _ login: LoginSucceeded,
        verifiedHash: String,
        rehash: PasswordRehashed?,
        now: Int64
    ) async throws(StoreError) -> ScriptOutcome {
        let rehashData = try rehash.map { payload throws(StoreError) in try text(encode(payload)) } ?? ""
        return try await run("login", [String(now), verifiedHash, try text(encode(login)), rehashData])
    }

    /// Records a failed login; returns the appended ids and, if this failure locked the name, until when (ms).
    public func recordFailedLogin(
        _ failure: LoginFailed,
        policy: LockoutPolicy
    ) async throws(StoreError) -> (eventIDs: [EventID], lockedUntil: Int64?) {
        let outcome = try await run(
            "login_failed",
            [try text(encode(failure)), String(policy.threshold), String(policy.baseSeconds), String(policy.maxSeconds)]
        )
        guard case .appended(let result) = outcome else {
            throw StoreError(.corruptData, "login_failed.lua rejected: \(outcome)")
        }
        let lockedUntil = Int64(result.values["locked_until"] ?? "0") ?? 0
        return (result.eventIDs, lockedUntil > 0 ? lockedUntil : nil)
    }

    /// Rotates a refresh token. `.appended` with `values["outcome"]` `rotated` (`values["username"]`
    /// and `values["roles"]`, a JSON array, are the user's as the rotation saw them), `reused` (the
    /// session was revoked) or `grace` (no event; `values["sealed"]` holds the sealed answer of the
    /// rotation, `values["access_expires_at"]` its access expiry); `.rejected` with `invalid_grant`.
    public func rotateRefreshToken(
        presentedHash: String,
        newHash: String,
        accessExpiresAt: Int64,
        expiresAt: Int64,
        reuseGraceMilliseconds: Int64,
        ip: String,
        userAgent: String,
        sealedForGrace: String,
        now: Int64
    ) async throws(StoreError) -> ScriptOutcome {
        try await run(
            "refresh",
            [
                String(now), presentedHash, newHash, String(accessExpiresAt), String(expiresAt),
                String(reuseGraceMilliseconds), ip, userAgent, sealedForGrace,
            ]
        )
    }

    /// Revokes sessions of a user with a reason (`logout`, `logout_all`, `admin`, ...).
    public func revokeSessions(userID: String, scope: SessionScope, reason: String) async throws(StoreError) -> ScriptOutcome {
        let (mode, sid) =
            switch scope {
            case .one(let sid): ("one", sid)
            case .all: ("all", "")
            case .allExcept(let sid): ("others", sid)
            }
        return try await run("revoke_sessions", [userID, reason, mode, sid])
    }

    /// Changes a password and revokes every other session; `.rejected(retry)` if the hash changed meanwhile.
    public func changePassword(_ change: PasswordChanged, verifiedHash: String) async throws(StoreError) -> ScriptOutcome {
        try await run("change_password", [verifiedHash, try text(encode(change)), change.sessionID ?? ""])
    }

    private func encode(_ payload: some EventPayload) throws(StoreError) -> [UInt8] {
        do {
            return try EventEncoding.encode(payload)
        } catch {
            throw StoreError(.corruptData, "cannot encode \(type(of: payload).type): \(error)")
        }
    }

    private func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}

extension EventStore {
    /// What an admin does to a user with `admin_user.lua`.
    public enum AdminAction: String, Sendable {
        /// Force logout everywhere: every session, every outstanding access token.
        case logout
        /// Disable (which forces logout too).
        case disable
        /// Enable again (no event when not disabled).
        case enable
        /// Replace the roles.
        case roles
    }

    /// Runs an admin action; `.rejected(not_found)` for an unknown user.
    /// - Parameter notBefore: NumericDate seconds for `logout`/`disable`.
    public func adminAction(
        _ action: AdminAction,
        userID: String,
        notBefore: Int64 = 0,
        roles: [String] = []
    ) async throws(StoreError) -> ScriptOutcome {
        let rolesJSON: String
        do {
            rolesJSON = text(try EventEncoding.encode(roles))
        } catch {
            throw StoreError(.corruptData, "cannot encode roles")
        }
        return try await run("admin_user", [action.rawValue, userID, String(notBefore), rolesJSON])
    }

    /// Revokes one access token (idempotent: nothing is appended when it is already revoked).
    public func revokeAccessToken(_ revoked: AccessTokenRevoked) async throws(StoreError) -> ScriptOutcome {
        try await run("revoke_token", [try text(encode(revoked))])
    }

    /// Revokes the session of a refresh token, if it is known and live.
    public func revokeRefreshToken(hash: String) async throws(StoreError) -> ScriptOutcome {
        try await run("revoke_refresh", [hash])
    }
}
