import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import RedisClient
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraStore
import TesseraTestSupport
import Testing

// Restarts, outages and crashes, run on the application `tessera serve` runs
// (`TestNode.productionApp()`: the routes with the pool, the follower and the registry as its
// services), each suite on a redis-server of its own that it stops, kills and restarts.

/// Whether `/readyz` answers 200 within 10 s.
func isReady(_ client: some TestClientProtocol) async throws -> Bool {
    try await waitUntil(seconds: 10) { try await client.send(.get, "/readyz").status == .ok } != nil
}

/// Until a node has loaded its revocation view it answers no token check: it fails closed.
@Suite struct NodeRestartTests {
    @Test func aNodeStartedWhileRedisIsDownFailsClosedUntilItHasLoadedTheRevocations() async throws {
        let server = try await RedisServer.start()
        let first = try await TestNode.make(on: server)
        let (revoked, alive) = try await first.app.test(.router) { client in
            try await client.registerUser("restart")
            let revoked = try #require(try await client.login("restart").string("access_token"))
            let alive = try #require(try await client.login("restart").string("access_token"))
            #expect(try await client.send(.post, "/logout", headers: bearer(revoked)).status == .noContent)
            return (revoked, alive)
        }
        await first.shutdown()

        // A fresh process (empty memory, the same prefix) starts while Redis is down: it cannot
        // load its view, so the window in which it would otherwise fail open lasts until Redis is back.
        await server.stop()
        let second = try await TestNode.make(on: server, keyPrefix: first.node.store.keyPrefix, followsLog: false)
        try await second.productionApp().test(.live) { client in
            for _ in 0..<3 {
                for token in [alive, revoked] {
                    try await client.send(.get, "/users/me", headers: bearer(token)).expectError("unavailable", .serviceUnavailable)
                    let verify = try await client.send(.get, "/auth/verify", headers: bearer(token))
                    #expect(verify.status == .serviceUnavailable)
                    #expect(verify.headers[.retryAfter] != nil)
                }
                #expect(try await client.send(.get, "/readyz").status == .serviceUnavailable)
                try await Task.sleep(for: .milliseconds(300))
            }
            #expect(second.node.state.revocations.count == 0)

            try await server.restart()
            #expect(try await isReady(client))
            try await client.send(.get, "/users/me", headers: bearer(revoked)).expectError("invalid_token", .unauthorized)
            #expect(try await client.send(.get, "/users/me", headers: bearer(alive)).status == .ok)
        }
        #expect(second.node.state.revocations.count == 1)
        await second.shutdown()
        await server.shutdown()
    }
}

@Suite struct RedisOutageTests {
    @Test func aNodeFailsClosedWhenRedisStopsAndRecoversWithEveryRevocationIntact() async throws {
        let server = try await RedisServer.start()
        let test = try await TestNode.make(on: server, followsLog: false)
        try await test.productionApp().test(.live) { client in
            #expect(try await isReady(client))
            try await client.registerUser("outage")
            let revoked = try #require(try await client.login("outage").string("access_token"))
            let alive = try #require(try await client.login("outage").string("access_token"))
            #expect(try await client.send(.post, "/logout", headers: bearer(revoked)).status == .noContent)

            await server.stop()
            let failedClosed = try await waitUntil(seconds: 4) {
                try await client.send(.get, "/auth/verify", headers: bearer(alive)).status == .serviceUnavailable
            }
            #expect(failedClosed != nil, "verify must answer 503 within the 2 s lag bound (+ margin)")
            try await client.send(.get, "/users/me", headers: bearer(alive)).expectError("unavailable", .serviceUnavailable)
            #expect(try await client.send(.get, "/readyz").status == .serviceUnavailable)

            try await server.restart()
            #expect(try await isReady(client))
            #expect(try await client.send(.get, "/auth/verify", headers: bearer(alive)).status == .ok)
            #expect(try await client.send(.get, "/auth/verify", headers: bearer(revoked)).status == .unauthorized)
        }
        // A node that starts now, from the restarted Redis (AOF), still knows the revocation.
        let late = try await TestNode.make(on: server, keyPrefix: test.node.store.keyPrefix)
        #expect(late.node.state.revocations.count == 1)
        await late.shutdown()
        await test.shutdown()
        await server.shutdown()
    }
}

/// `kill -9` of redis-server with `appendfsync everysec` (the fixture's and `redis/redis.conf`'s
/// setting): Redis writes a command's AOF record to the file before it sends the reply, and
/// fsyncs once a second. A revocation acknowledged less than a second before the kill has
/// reached the kernel but maybe not the disk; the kernel keeps it when only the process dies.
@Suite struct RedisCrashTests {
    @Test func revocationsAcknowledgedJustBeforeRedisIsKilledSurviveItsRestart() async throws {
        let server = try await RedisServer.start()
        let test = try await TestNode.make(on: server, followsLog: false)
        let (revoked, alive, receipts) = try await test.productionApp().test(.live) { client in
            #expect(try await isReady(client))
            let admin = try await test.adminToken(client: client)
            try await client.registerUser("crash")
            try await client.registerUser("crash-forced")
            let alive = try #require(try await client.login("crash").string("access_token"))
            let forced = try #require(try await client.login("crash-forced").string("access_token"))
            var revoked = [forced]
            var logins: [String] = []
            for _ in 0..<10 { logins.append(try #require(try await client.login("crash").string("access_token"))) }

            // The revocations, as fast as they are acknowledged, the kill right after the last.
            var receipts: [EventID] = []
            func acknowledge(_ answer: Answer) throws {
                receipts.append(try #require(answer.headers[.init("Tessera-Revocation-Id")!].flatMap(EventID.init), "\(answer.status)"))
            }
            for token in logins.prefix(5) {
                try acknowledge(try await client.send(.post, "/logout", headers: bearer(token)))
            }
            for token in logins.suffix(5) {
                try acknowledge(try await client.postForm("/revoke", [("token", token)]))
            }
            try acknowledge(try await client.send(.post, "/admin/users/crash-forced/logout", headers: bearer(admin)))
            let acknowledged = ContinuousClock.now
            await server.crash()
            let killedAfter = ContinuousClock.now - acknowledged
            print("redis-server SIGKILLed \(killedAfter) after the last revocation was acknowledged")
            #expect(killedAfter < .seconds(1), "within the fsync interval of appendfsync everysec")
            revoked += logins

            let failedClosed = try await waitUntil(seconds: 4) {
                try await client.send(.get, "/auth/verify", headers: bearer(alive)).status == .serviceUnavailable
            }
            #expect(failedClosed != nil)
            try await server.restart()
            #expect(try await isReady(client))
            return (revoked, alive, receipts)
        }
        // Every acknowledged revocation is in the replayed log, and a node that loads its view
        // from it (nothing in memory from before) rejects every revoked token.
        let late = try await TestNode.make(on: server, keyPrefix: test.node.store.keyPrefix)
        #expect(try await late.node.store.events(withIDs: receipts).map(\.id) == receipts)
        try await late.app.test(.router) { client in
            for token in revoked {
                let answer = try await client.send(.get, "/auth/verify", headers: bearer(token))
                #expect(answer.status == .unauthorized)
            }
            let answer = try await client.send(.get, "/auth/verify", headers: bearer(alive))
            #expect(answer.status == .ok)
        }
        await late.shutdown()
        await test.shutdown()
        await server.shutdown()
    }
}

/// Graceful shutdown in the order `TesseraApplication.services(of:)` promises: HTTP drains
/// first, then the registry leaves (it needs the pool), and the pool closes last.
@Suite(.redisServer) struct GracefulShutdownTests {
    /// Python bcrypt `hashpw(b"secret-password", gensalt(12))`: ~180 ms to verify, so a login stays in flight.
    static let slowHash = "$2b$12$rjc.p7WjwvFbDbiyxLu25uh53e1pUwLb9qarFtpgS2mNpGXZ.mzn."

    @Test func aRequestInFlightIsAnsweredAndTheRegistryLeavesBeforeThePoolCloses() async throws {
        let test = try await TestNode.make(followsLog: false)
        let store = test.node.store
        _ = try await test.node.accounts.importUser(username: "slow", passwordHash: Self.slowHash, email: nil, roles: [], disabled: false)
        let probe = RedisConnectionPool(configuration: try RedisServer.suite.configuration(poolSize: 1), logger: Logger(label: "probe"))
        let nodeKey = store.key("node", test.node.registry.nodeID)

        let login = try await test.productionApp().test(.live) { client in
            let recorded = try await waitUntil { try await probe.send("EXISTS", nodeKey) == .integer(1) }
            #expect(recorded != nil, "the registry recorded the node")
            let port = try #require(client.port)
            let login = Task {
                try await TestClient.withClient(host: "127.0.0.1", port: port) { connection in
                    try await LiveConnection(client: connection).login("slow", password: "secret-password")
                }
            }
            // The login has reserved its password check: it is in its handler, hashing.
            let reserved = try await waitUntil { try await probe.send("EXISTS", store.key("attempts", "slow")) == .integer(1) }
            #expect(reserved != nil)
            return login  // leaving the block shuts the application down gracefully
        }
        let answer = try await login.value
        #expect(answer.status == .ok, "the request in flight when shutdown began is answered: \(answer.body)")
        #expect(try await probe.send("EXISTS", nodeKey) == .integer(0), "the registry removed its entry: the pool was still open")
        #expect(try await probe.send("ZSCORE", store.key("nodes"), test.node.registry.nodeID).isNull)
        await #expect(throws: RedisError.self, "the pool closed last") { try await store.pool.send("PING") }
        await probe.shutdown()
        await test.shutdown()
    }
}
