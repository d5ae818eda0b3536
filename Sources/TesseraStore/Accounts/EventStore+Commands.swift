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

    /// Rotates a refresh token. `.appended` with `values["outcome"]` `rotated`, `reused` (the
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
