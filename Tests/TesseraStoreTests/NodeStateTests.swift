import Logging
import RedisClient
import Synchronization
import TesseraAuth
import TesseraCore
import TesseraStoreTestSupport
import TesseraTestSupport
import Testing

@testable import TesseraStore

/// What a node holds in memory must never claim more than it has: a revocation stays until
/// every token it could match has expired, the published position is the follower's, and
/// "fresh" means caught up.
@Suite(.redisServer) struct NodeStateTests {
    let logger = Logger(label: "test")
    static let keys = KeySet([try! SigningKey.hs256(secret: Array("node-state-test-secret-0123456789abcdef".utf8))])

    func makeStore() throws -> EventStore {
        try RedisServer.suite.makeStore(keyPrefix: RedisServer.uniquePrefix("state"), logger: logger)
    }

    func makeState(maxRevocationLag: Duration = .seconds(2)) -> NodeState {
        NodeState(verifier: TokenVerifier(keys: Self.keys, issuer: "https://issuer", audience: nil), maxRevocationLag: maxRevocationLag)
    }

    /// Opens a session whose access token expires `accessLifetime` from now; returns the events.
    func openSession(for userID: String, name: String, in store: EventStore, accessLifetime: Duration) async throws -> [RecordedEvent] {
        let now = Timestamp.nowMilliseconds()
        let login = LoginSucceeded(
            userID: userID,
            username: name,
            sessionID: OpaqueToken.makeID(),
            refreshHash: OpaqueToken.makeID(),
            tokenID: OpaqueToken.makeID(),
            accessExpiresAt: now + accessLifetime.wholeMilliseconds,
            expiresAt: now + 86_400_000,
            ip: "192.0.2.1",
            userAgent: "test",
            scope: nil
        )
        guard
            case .opened(let events) = try await store.run(
                OpenSession(login: login, verifiedHash: "$y$j9T$salt$hash", rehash: nil, nowMilliseconds: now, settling: nil)
            )
        else { throw TestSupportError("login refused") }
        return events
    }

    func claims(subject: String, issuedAt: Int64, expiresAt: Int64) -> AccessTokenClaims {
        AccessTokenClaims(
            issuer: "https://issuer",
            subject: subject,
            username: "x",
            expiresAt: expiresAt,
            issuedAt: issuedAt,
            tokenID: OpaqueToken.makeID(),
            sessionID: OpaqueToken.makeID(),
            roles: [],
            scope: ""
        )
    }

    @Test func aForcedLogoutStaysUntilTheLatestTokenIssuedBeforeItExpiresWhateverThisNodesTTL() async throws {
        let store = try makeStore()
        defer { Task { await store.pool.shutdown() } }
        let userID = try await store.registerUser(named: "forced").userID
        // A token issued by a node with an hour's TTL...
        _ = try await openSession(for: userID, name: "forced", in: store, accessLifetime: .seconds(3600))
        let now = Timestamp.nowMilliseconds()
        let notBefore = now / 1000 + 1
        guard case .applied(let events) = try await store.run(AdminUserAction(userID: userID, action: .forceLogout(notBefore: notBefore))) else {
            throw TestSupportError("no such user")
        }
        // ...is still refused by a node that runs with a 5 s TTL, long after 5 s.
        for state in [makeState(), makeState()] {
            state.apply(events)
            state.revocations.prune(now: now + 3_500_000)
            let token = claims(subject: userID, issuedAt: notBefore - 1, expiresAt: now / 1000 + 3600)
            #expect(state.revocations.verdict(for: token) == .issuedBeforeForcedLogout)
        }
        // And from the snapshot a new node loads.
        let loaded = makeState()
        loaded.load(try await store.loadRevocations(nowMilliseconds: now + 3_500_000))
        loaded.revocations.prune(now: now + 3_500_000)
        #expect(loaded.revocations.verdict(for: claims(subject: userID, issuedAt: notBefore - 1, expiresAt: now / 1000 + 3600)) != nil)
    }

    @Test func ownWritesNeverAdvanceThePositionTheNodePublishes() async throws {
        let store = try makeStore()
        defer { Task { await store.pool.shutdown() } }
        let state = makeState()
        let snapshot = try await store.loadRevocations(nowMilliseconds: Timestamp.nowMilliseconds())
        state.load(snapshot)
        let userID = try await store.registerUser(named: "own").userID
        let own = try await openSession(for: userID, name: "own", in: store, accessLifetime: .seconds(60))
        state.apply(own)
        #expect(state.appliedPosition == snapshot.position, "the follower has not applied the log up to the node's own event")
    }

    @Test func theFollowerStartsFromTheSnapshotNotFromTheNodesOwnWrites() async throws {
        let store = try makeStore()
        defer { Task { await store.pool.shutdown() } }
        let state = makeState()
        let follower = RevocationFollower(store: store, state: state, blockMilliseconds: 50, logger: logger)
        let victim = try await store.registerUser(named: "victim").userID
        let sessionEvents = try await openSession(for: victim, name: "victim", in: store, accessLifetime: .seconds(600))
        let sid = try #require(try sessionEvents.last?.decode(as: LoginSucceeded.self)?.sessionID)
        let position = try await follower.loadSnapshot()
        // Another node revokes the session; then this node appends and applies an event of its own.
        guard case .revoked = try await store.run(RevokeSessions(userID: victim, scope: .one(sid), reason: .logout)) else {
            throw TestSupportError("not revoked")
        }
        let other = try await store.registerUser(named: "other").userID
        state.apply(try await openSession(for: other, name: "other", in: store, accessLifetime: .seconds(60)))
        let following = Task { try await follower.follow(after: position) }
        defer { following.cancel() }
        let token = claims(subject: victim, issuedAt: Timestamp.nowSeconds(), expiresAt: Timestamp.nowSeconds() + 600)
        var revokedToken = token
        revokedToken.sessionID = sid
        var seen = false
        for _ in 0..<200 where !seen {
            seen = state.revocations.verdict(for: revokedToken) == .sessionRevoked
            if !seen { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(seen, "the revocation appended before the node's own event was not skipped")
    }

    @Test func anXREADReplyOfUnknownShapeIsNotHearingFromRedis() throws {
        #expect(throws: StoreError.self) { try EventFollower.events(inXREAD: .array([.integer(1)])) }
        #expect(throws: StoreError.self) { try EventFollower.events(inXREAD: .simpleString("OK")) }
        #expect(try EventFollower.events(inXREAD: .null).isEmpty, "a timed-out XREAD is an empty round")
    }

    @Test func aNodeIsNotFreshUntilItHasCaughtUpWithABacklog() async throws {
        let store = try makeStore()
        defer { Task { await store.pool.shutdown() } }
        let state = makeState(maxRevocationLag: .milliseconds(200))
        let follower = RevocationFollower(store: store, state: state, blockMilliseconds: 50, batchSize: 10, logger: logger)
        let position = try await follower.loadSnapshot()
        // The node falls behind: its lag bound passes while 600 events are appended.
        for index in 0..<600 { try await store.registerUser(named: "backlog\(index)") }
        try await Task.sleep(for: .milliseconds(300))
        #expect(!state.isFresh())
        let head = try #require(try await store.head())
        let violations = Atomic<Int>(0)
        let following = Task { try await follower.follow(after: position) }
        defer { following.cancel() }
        while state.appliedPosition < head {
            // Fresh read first: when it says fresh, every event up to the head is applied.
            if state.isFresh(), state.appliedPosition < head {
                violations.add(1, ordering: .relaxed)
            }
            try await Task.sleep(for: .microseconds(200))
        }
        #expect(violations.load(ordering: .relaxed) == 0, "the node said fresh while it was still behind")
        #expect(try await waitUntilFresh(state))
    }

    func waitUntilFresh(_ state: NodeState) async throws -> Bool {
        for _ in 0..<200 {
            if state.isFresh() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
