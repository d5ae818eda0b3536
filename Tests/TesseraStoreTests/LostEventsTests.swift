import Logging
import RedisClient
import TesseraCore
import TesseraStoreTestSupport
import TesseraTestSupport
import Testing

@testable import TesseraStore

/// A Redis that comes back without events a node already applied (a replica promoted before it
/// received them, a restart that lost its last writes): the follower notices on reconnecting and
/// loads the snapshot again, instead of waiting for an id that never comes.
@Suite struct LostEventsTests {
    let logger = Logger(label: "test")

    @Test func aFollowerWhoseLastEventIsGoneFromTheLogReloadsTheSnapshot() async throws {
        let server = try await RedisServer.start()
        let store = server.makeStore(logger: logger)
        do {
            try await check(store)
        } catch {
            await store.pool.shutdown()
            await server.shutdown()
            throw error
        }
        await store.pool.shutdown()
        await server.shutdown()
    }

    private func check(_ store: EventStore) async throws {
        let keys = KeySet([try SigningKey.hs256(secret: Array("lost-events-test-secret-0123456789abcdef".utf8))])
        let state = NodeState(verifier: TokenVerifier(keys: keys, issuer: "https://issuer", audience: nil), maxRevocationLag: .seconds(2))
        let follower = RevocationFollower(store: store, state: state, blockMilliseconds: 50, logger: logger)
        let following = Task { try await follower.run() }
        defer { following.cancel() }

        let userID = OpaqueToken.makeID()
        let registered = UserRegistered(userID: userID, username: "lost", email: nil, passwordHash: "$y$j9T$salt$hash", roles: [])
        guard case .registered = try await store.run(RegisterUser(registered)) else { throw TestSupportError("not registered") }
        let kept = try #require(try await store.head())
        let revoked = AccessTokenRevoked(userID: userID, tokenID: "lost-jti", sessionID: "lost-sid", expiresAt: Timestamp.nowMilliseconds() + 600_000)
        let lost = try #require(try await store.run(RevokeAccessToken(revoked)).last?.id)
        try await waitUntil { state.appliedPosition == lost }
        #expect(state.revocations.count == 1)

        // The server loses the last event and what it wrote, and the follower's connection breaks.
        _ = try await store.pool.send("XDEL", store.logKey, lost.description)
        _ = try await store.pool.send("ZREM", store.key("revoked-tokens"), "lost-jti")
        _ = try await store.pool.send("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")

        try await waitUntil { state.appliedPosition == kept }
        #expect(state.revocations.count == 0, "the view is the log's again")
        #expect(state.isFresh())
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() {
            try await Task.sleep(for: .milliseconds(10))
        }
        if !condition() { throw TestSupportError("the condition did not hold within 5 s") }
    }
}
