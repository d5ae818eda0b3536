import Logging
import RedisClient
import TesseraAuth
import TesseraCore
import TesseraPasswords
import TesseraStore
import TesseraTestSupport
import Testing

@Suite(.redisServer) struct ReplayTests {
    let logger = Logger(label: "test")

    /// A hash made by Python's bcrypt (`$2b$12$`), as a FastAPI/passlib user store holds it.
    static let bcryptHash = "$2b$12$6fJ6yyPdjnC0HlutF.XRT.7D/eMa8pgON4gVKajUd/DxDoRe6XorK"

    /// Runs `body` with a store under a prefix of its own, and an account service over it.
    func withStore(_ body: (EventStore, AccountService) async throws -> Void) async throws {
        let pool = RedisConnectionPool(configuration: try RedisServer.suite.configuration(), logger: logger)
        let store = EventStore(pool: pool, keyPrefix: RedisServer.uniquePrefix("replay"), logger: logger)
        let hasher = PasswordHasher(configuration: .init(threads: 1, queueLimit: 4), logger: logger)
        defer { hasher.shutdown() }
        do {
            try await body(store, AccountService(store: store, hasher: hasher, logger: logger))
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }

    @Test func replayOfTheLoginFlowMatchesTheLiveProjections() async throws {
        try await withStore { store, service in
            let workload = try await Workload.run(on: store, service: service)
            let report = try await ProjectionReplay(store: store, batchSize: 7).check()
            #expect(report.differences == [])
            #expect(report.isMatch)
            #expect(report.eventCount == workload.eventCount)
            #expect(Int64(report.eventCount) == (try await store.pool.send("XLEN", store.logKey).int))
            #expect(report.head == (try await store.head()))
            #expect(report.keyCount >= 20, "users, sessions, refresh index, revocations, failures, lock, user events")
            #expect(!report.isRepaired)
            #expect(try await scratchKeys(of: store).isEmpty, "the scratch keys are deleted")
        }
    }

    @Test func checkReportsExactlyTheKeysChangedByHand() async throws {
        try await withStore { store, service in
            let workload = try await Workload.run(on: store, service: service)
            _ = try await store.pool.send("HSET", store.key("user", workload.aliceID), "roles", #"["admin"]"#)
            _ = try await store.pool.send("DEL", store.key("session", workload.liveSessionID))
            _ = try await store.pool.send("SET", store.key("stray"), "not from the log")
            // Ephemeral keys are not projections: neither compared nor repaired.
            _ = try await store.pool.send("SET", store.key("grace", "abc"), "sealed", "PX", "60000")
            _ = try await store.pool.send("HSET", store.key("node", "n1"), "applied", "0-1")

            let report = try await ProjectionReplay(store: store).check()
            #expect(report.differences.map(\.key) == ["session:\(workload.liveSessionID)", "stray", "user:\(workload.aliceID)"])
            #expect(
                report.differences.map(\.description).last
                    == #"differs: user:\#(workload.aliceID): live hash {roles: "[\"admin\"]"}, rebuilt hash {roles: "[]"}"#
            )
            #expect(report.differences.first?.description.hasPrefix("only rebuilt: session:\(workload.liveSessionID) = hash {") == true)
            #expect(report.differences.dropFirst().first?.description == #"only live: stray = "not from the log""#)
            #expect(try await store.pool.send("HGET", store.key("user", workload.aliceID), "roles").string == #"["admin"]"#, "check writes nothing")
            #expect(try await scratchKeys(of: store).isEmpty)
        }
    }

    @Test func repairMakesTheLiveProjectionsEqualTheLogAndLeavesEphemeralKeys() async throws {
        try await withStore { store, service in
            let workload = try await Workload.run(on: store, service: service)
            _ = try await store.pool.send("HSET", store.key("user", workload.aliceID), "roles", #"["admin"]"#)
            _ = try await store.pool.send("DEL", store.key("session", workload.liveSessionID))
            _ = try await store.pool.send("SREM", store.key("user-sessions", workload.aliceID), workload.liveSessionID)
            _ = try await store.pool.send("SET", store.key("stray"), "not from the log")
            _ = try await store.pool.send("SET", store.key("grace", "abc"), "sealed", "PX", "60000")

            let repaired = try await ProjectionReplay(store: store).repair()
            #expect(repaired.isRepaired)
            #expect(repaired.differences.count == 4)
            #expect(try await store.user(id: workload.aliceID)?.roles == [])
            #expect(try await store.session(id: workload.liveSessionID)?.sessionID == workload.liveSessionID)
            #expect(try await store.pool.send("EXISTS", store.key("stray")) == .integer(0))
            #expect(try await store.pool.send("GET", store.key("grace", "abc")).string == "sealed")
            #expect(try await ProjectionReplay(store: store).check().isMatch)
            #expect(try await scratchKeys(of: store).isEmpty)
        }
    }

    @Test func aRepairDuringRevocationsNeverUndoesThem() async throws {
        try await withStore { store, service in
            let workload = try await Workload.run(on: store, service: service)
            // The revocation list loses a member by hand; revocations keep arriving meanwhile.
            let lost = try #require(try await store.pool.send("ZRANGE", store.key("revoked-tokens"), "0", "0").array?.first?.string)
            _ = try await store.pool.send("ZREM", store.key("revoked-tokens"), lost)
            let revocations = Task {
                var tokenIDs: [String] = []
                for _ in 0..<40 {
                    let tokenID = OpaqueToken.makeID()
                    let revoked = AccessTokenRevoked(
                        userID: workload.aliceID,
                        tokenID: tokenID,
                        sessionID: workload.liveSessionID,
                        expiresAt: 1 << 50
                    )
                    _ = try await store.run(RevokeAccessToken(revoked))
                    tokenIDs.append(tokenID)
                    try await Task.sleep(for: .milliseconds(1))
                }
                return tokenIDs
            }
            let repaired = try await ProjectionReplay(store: store, batchSize: 5, maxAttempts: 100).repair()
            let revoked = try await revocations.value
            #expect(repaired.isRepaired)
            #expect(repaired.differences.map(\.key) == ["revoked-tokens"])
            let listed = try await store.pool.send("ZRANGE", store.key("revoked-tokens"), "0", "-1").array?.compactMap(\.string) ?? []
            #expect(Set(revoked + [lost]).isSubset(of: listed), "no revocation appended during the repair was undone")
            #expect(try await ProjectionReplay(store: store).check().differences == [])
        }
    }

    @Test func aDifferingPasswordHashIsShownOnlyAsADigest() async throws {
        try await withStore { store, service in
            let workload = try await Workload.run(on: store, service: service)
            let liveHash = try #require(try await store.user(id: workload.aliceID)?.passwordHash)
            _ = try await store.pool.send("HSET", store.key("user", workload.aliceID), "password_hash", "$y$j9T$tampered$hash")
            let report = try await ProjectionReplay(store: store).check()
            let line = try #require(report.differences.first?.description)
            #expect(report.differences.count == 1)
            #expect(line.hasPrefix("differs: user:\(workload.aliceID): live hash {password_hash: <sha256:"))
            #expect(!line.contains("tampered") && !line.contains(liveHash) && !line.contains("$y$"))
        }
    }

    @Test func replayOfAnEmptyLogMatchesAnEmptyProjection() async throws {
        try await withStore { store, _ in
            let report = try await ProjectionReplay(store: store).check()
            #expect(report.isMatch)
            #expect(report.head == nil)
            #expect(report.eventCount == 0)
            #expect(report.keyCount == 0)
        }
    }

    @Test func anEmptyLogMakesEveryProjectionKeyLiveOnly() async throws {
        try await withStore { store, _ in
            _ = try await store.pool.send("HSET", store.key("user", "ghost"), "username", "ghost")
            let report = try await ProjectionReplay(store: store).check()
            #expect(report.differences == [.onlyLive("user:ghost", .hash([.init("username", "ghost")]))])
        }
    }

    @Test func scratchPrefixesNeverOverlapTheLivePrefix() throws {
        let pool = RedisConnectionPool(configuration: try RedisServer.suite.configuration(poolSize: 1), logger: logger)
        defer { Task { await pool.shutdown() } }
        for live in ["tessera:", "tessera", "t", ":", "~x:", "~", "a*b:", "prod:tessera:"] {
            let scratch = EventStore(pool: pool, keyPrefix: live, logger: logger).makeScratchPrefix()
            #expect(!scratch.hasPrefix(live) && !live.hasPrefix(scratch), "\(live) vs \(scratch)")
            #expect(scratch.hasSuffix(":"))
        }
        #expect(EventStore(pool: pool, keyPrefix: "tessera:", logger: logger).makeScratchPrefix().hasPrefix("tessera-replay-"))
        #expect(EventStore(pool: pool, keyPrefix: "tessera", logger: logger).makeScratchPrefix().hasPrefix("~replay-"))
    }

    @Test func replayRefusesAnEmptyPrefix() async throws {
        let pool = RedisConnectionPool(configuration: try RedisServer.suite.configuration(poolSize: 1), logger: logger)
        defer { Task { await pool.shutdown() } }
        await #expect(throws: ReplayError.self) {
            try await ProjectionReplay(store: EventStore(pool: pool, keyPrefix: "", logger: logger)).check()
        }
    }

    /// Keys under any scratch prefix of `store` (`<live prefix minus ':'>-replay-*`).
    func scratchKeys(of store: EventStore) async throws -> [RedisValue] {
        try await store.pool.send("KEYS", String(store.keyPrefix.dropLast()) + "-replay-*").array ?? []
    }
}

/// Every command of the login flow, through the store's typed commands, as a node runs them.
struct Workload {
    var aliceID: String
    var bobID: String
    /// A session of alice still live at the end.
    var liveSessionID: String
    /// Every event the commands returned, in the order they were appended.
    var events: [RecordedEvent]
    var eventCount: Int { events.count }

    static func run(on store: EventStore, service: AccountService) async throws -> Workload {
        var events: [RecordedEvent] = []
        func record(_ appended: [RecordedEvent], _ what: String) throws {
            guard !appended.isEmpty else { throw TestSupportError("\(what) appended nothing") }
            events += appended
        }
        let alice = try await service.register(username: "Alice", password: Array("alice's password".utf8), email: "alice@example.com", roles: [])
        let bob = try await service.importUser(username: "bob", passwordHash: ReplayTests.bcryptHash, email: nil, roles: ["reader"], disabled: false)
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
                userAgent: "replay-test/1.0 (+https://example.com/a/b)"
            )
            // The stored hash, as the node verifies the password against it (it changes below).
            let stored = try await store.user(id: user.id)?.passwordHash ?? ""
            let outcome = try await store.run(OpenSession(login: event, verifiedHash: stored, rehash: rehash, nowMilliseconds: now))
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
        guard case .changed(let changed) = try await store.run(ChangePassword(change, verifiedHash: alice.passwordHash)) else {
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

        // Failed logins until a lockout, for a known name and an unknown one.
        let policy = LockoutPolicy(threshold: 3)
        var lockedUntil: Int64?
        for _ in 0..<3 {
            let failure = LoginFailed(userID: alice.id, username: "alice", ip: "198.51.100.1", reason: .badPassword)
            let recorded = try await store.run(RecordFailedLogin(failure, policy: policy))
            try record(recorded.events, "failed login")
            lockedUntil = recorded.lockedUntilMilliseconds
        }
        guard lockedUntil != nil else { throw TestSupportError("three failures did not lock alice out") }
        let unknown = try await store.run(
            RecordFailedLogin(LoginFailed(userID: nil, username: "nobody", ip: "198.51.100.1", reason: .unknownUser), policy: policy)
        )
        try record(unknown.events, "failed login of an unknown name")

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
