public import TesseraAuth
public import TesseraCore
public import TesseraStore
import TesseraTestSupport

/// Every command of the store, through its typed commands, as a node runs them: registration,
/// import, login with rehash, rotation and reuse, logouts, password change, admin actions,
/// RFC 7009 revocations and failed logins up to a lockout. Every event type is written.
public struct Workload: Sendable {
    /// Alice: registered with a password, logged in and out, locked out at the end.
    public var aliceID: String
    /// Bob: imported with a bcrypt hash, rehashed, roles changed, forced out, disabled, enabled.
    public var bobID: String
    /// A session of alice still live at the end.
    public var liveSessionID: String
    /// Every event the commands returned, in the order they were appended.
    public var events: [RecordedEvent]
    /// How many events the workload appended.
    public var eventCount: Int { events.count }

    /// Runs the workload on `store` (an empty prefix) and returns what it appended.
    /// - Throws: `TestSupportError` when a command is refused or appends nothing.
    public static func run(on store: EventStore, service: AccountService) async throws -> Workload {
        var events: [RecordedEvent] = []
        func record(_ appended: [RecordedEvent], _ what: String) throws {
            guard !appended.isEmpty else { throw TestSupportError("\(what) appended nothing") }
            events += appended
        }
        let alice = try await service.register(username: "Alice", password: Array("alice's password".utf8), email: "alice@example.com", roles: [])
        let bob = try await service.importUser(username: "bob", passwordHash: PasslibHash.bcrypt, email: nil, roles: ["reader"], disabled: false)
        events += try await store.events(after: nil, limit: 2)
        let now = Timestamp.nowMilliseconds()

        func login(_ user: UserRecord, rehash: PasswordRehashed? = nil) async throws -> (sid: String, refreshHash: String) {
            let sid = OpaqueToken.makeID()
            let refreshHash = OpaqueToken.makeID()
            let event = LoginSucceeded(
                userID: user.id,
                username: user.username.lowercased(),
                sessionID: sid,
                refreshHash: refreshHash,
                tokenID: OpaqueToken.makeID(),
                accessExpiresAt: now + 900_000,
                expiresAt: now + 86_400_000,
                ip: "192.0.2.7",
                userAgent: "replay-test/1.0 (+https://example.com/a/b)",
                scope: user.roles.isEmpty ? nil : user.roles
            )
            // The stored hash, as the node verifies the password against it (it changes below).
            let stored = try await store.user(id: user.id)?.passwordHash ?? ""
            let outcome = try await store.run(OpenSession(login: event, verifiedHash: stored, rehash: rehash, nowMilliseconds: now, settling: nil))
            guard case .opened(let appended) = outcome else { throw TestSupportError("login of \(user.username) was refused: \(outcome)") }
            try record(appended, "login")
            return (sid, refreshHash)
        }

        // bob's imported bcrypt hash is upgraded at his first login: PasswordRehashed + LoginSucceeded.
        let bobSession = try await login(bob, rehash: PasswordRehashed(userID: bob.id, passwordHash: "$y$j9T$rehashed$bob"))

        // Rotation, then reuse of the rotated token: RefreshReuseDetected + SessionRevoked.
        for presented in [bobSession.refreshHash, bobSession.refreshHash] {
            let outcome = try await store.run(
                RotateRefreshToken(
                    presentedHash: presented,
                    newHash: OpaqueToken.makeID(),
                    accessExpiresAt: now + 900_000,
                    expiresAt: now + 86_400_000,
                    reuseGrace: .zero,
                    ip: "192.0.2.8",
                    userAgent: "replay-test",
                    sealedForGrace: "",
                    nowMilliseconds: now
                )
            )
            switch outcome {
            case .rotated(let rotation): try record([rotation.event], "refresh")
            case .reused(_, let appended): try record(appended, "reuse")
            default: throw TestSupportError("refresh: \(outcome)")
            }
        }

        func revoked(_ outcome: RevokeSessions.Outcome, _ what: String) throws {
            guard case .revoked(let appended) = outcome else { throw TestSupportError("\(what): \(outcome)") }
            try record(appended, what)
        }
        func applied(_ outcome: AdminUserAction.Outcome, _ what: String) throws {
            guard case .applied(let appended) = outcome else { throw TestSupportError("\(what): \(outcome)") }
            try record(appended, what)
        }

        // Logout of one session, logout of all, and a password change that keeps the caller's.
        let first = try await login(alice)
        try revoked(try await store.run(RevokeSessions(userID: alice.id, scope: .one(first.sid), reason: .logout)), "logout")
        _ = try await login(alice)
        _ = try await login(alice)
        try revoked(try await store.run(RevokeSessions(userID: alice.id, scope: .all, reason: .logoutAll)), "logout all")
        let kept = try await login(alice)
        _ = try await login(alice)
        let change = PasswordChanged(userID: alice.id, passwordHash: "$y$j9T$changed$alice", sessionID: kept.sid)
        guard case .changed(let changed) = try await store.run(ChangePassword(change, verifiedHash: alice.passwordHash, settling: nil)) else {
            throw TestSupportError("password change refused")
        }
        try record(changed, "password change")

        // An admin's actions: roles, forced logout, disable and enable; RFC 7009 revocations.
        try applied(try await store.run(AdminUserAction(userID: bob.id, action: .setRoles(["ops", "reader"]))), "roles")
        _ = try await login(bob)
        try applied(try await store.run(AdminUserAction(userID: bob.id, action: .forceLogout(notBefore: now / 1000))), "forced logout")
        try applied(try await store.run(AdminUserAction(userID: bob.id, action: .disable(notBefore: now / 1000 + 1))), "disable")
        try applied(try await store.run(AdminUserAction(userID: bob.id, action: .enable)), "enable")
        let revokedToken = AccessTokenRevoked(userID: alice.id, tokenID: OpaqueToken.makeID(), sessionID: kept.sid, expiresAt: now + 900_000)
        try record(try await store.run(RevokeAccessToken(revokedToken)), "access token revocation")
        let doomed = try await login(alice)
        try record(try await store.run(RevokeRefreshToken(refreshHash: doomed.refreshHash)), "refresh token revocation")

        // Reserved checks that fail until a lockout, for a known name and an unknown one.
        let policy = LockoutPolicy(threshold: 3)
        func failedCheck(_ name: String, _ reason: LoginFailed.Reason) async throws -> Int64? {
            let reserve = ReservePasswordCheck(username: name, client: "198.51.100.1", policy: policy, hold: .seconds(30), nowMilliseconds: now)
            guard case .reserved(let reservation) = try await store.run(reserve) else { throw TestSupportError("no check for \(name)") }
            let failure = LoginFailed(userID: reservation.user?.id, username: name, ip: reservation.client, reason: reason)
            let recorded = try await store.run(RecordFailedLogin(failure, policy: policy, settling: reservation))
            try record(recorded.events, "failed login")
            return recorded.lockedUntilMilliseconds
        }
        var lockedUntil: Int64?
        for _ in 0..<3 { lockedUntil = try await failedCheck("alice", .badPassword) }
        guard lockedUntil != nil else { throw TestSupportError("three failures did not lock alice out") }
        _ = try await failedCheck("nobody", .unknownUser)

        // An API node's feed credential, issued and revoked by an operator.
        let credential = FeedCredential.make()
        let issued = FeedCredentialIssued(credentialID: credential.id, name: "api-1", secretHash: credential.secretHash)
        guard case .issued(let issuedEvents) = try await store.run(IssueFeedCredential(issued)) else {
            throw TestSupportError("feed credential refused")
        }
        try record(issuedEvents, "feed credential")
        guard case .revoked(let revokedEvents) = try await store.run(RevokeFeedCredential(credentialID: credential.id)) else {
            throw TestSupportError("feed credential revocation refused")
        }
        try record(revokedEvents, "feed credential revocation")
        return Workload(aliceID: alice.id, bobID: bob.id, liveSessionID: kept.sid, events: events)
    }
}
