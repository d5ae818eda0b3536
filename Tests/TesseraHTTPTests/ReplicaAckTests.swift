import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RedisClient
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraStore
import TesseraStoreTestSupport
import TesseraTestSupport
import Testing

/// `--min-replicas-ack`: a revocation is acknowledged only once a replica has it (WAIT on the
/// connection that ran the script); otherwise 503 with `Retry-After`, and the receipt still set
/// because the event is in the log.
@Suite struct ReplicaAckTests {
    @Test func aRevocationNoReplicaConfirmsIsA503WithItsReceiptAndStillRevokes() async throws {
        let master = try await RedisServer.start()
        let replica = try await RedisServer.start(extraArguments: ["--replicaof", "127.0.0.1", String(master.port)])
        do {
            try await check(master: master, replica: replica)
        } catch {
            await stop(master, replica)
            throw error
        }
        await stop(master, replica)
    }

    private func stop(_ master: RedisServer, _ replica: RedisServer) async {
        replica.resume()
        await replica.shutdown()
        await master.shutdown()
    }

    private func check(master: RedisServer, replica: RedisServer) async throws {
        try await waitForSync(master)
        let node = try await TestNode.make(on: master, minReplicasAck: 1, replicaAckTimeout: .seconds(2))
        try await node.app.test(.router) { client in
            try await client.registerUser("durable")
            let first = try await client.login("durable")
            let access = try #require(first.string("access_token"))
            // With the replica in step, the logout is acknowledged as before.
            let acknowledged = try await client.send(.post, "/logout", headers: bearer(access))
            #expect(acknowledged.status == .noContent)

            let second = try await client.login("durable")
            let secondAccess = try #require(second.string("access_token"))
            replica.pause()
            // The replica hangs: logins and rotations go on; a revocation is not acknowledged.
            let third = try await client.login("durable")
            #expect(third.status == .ok, "a login waits for no replica")
            let refresh = try #require(third.string("refresh_token"))
            let rotated = try await client.refresh(refresh)
            #expect(rotated.status == .ok, "a rotation that revokes nothing waits for no replica")
            let logout = try await client.send(.post, "/logout", headers: bearer(secondAccess))
            logout.expectError("unavailable", .serviceUnavailable)
            #expect(logout.headers[.retryAfter] != nil)
            let receipt = try #require(logout.headers[HTTPField.Name("Tessera-Revocation-Id")!], "the receipt of an event in the log")
            #expect(logout.body.contains("not yet durably acknowledged"))
            #expect(try await node.node.store.events(withIDs: [try #require(EventID(receipt))]).count == 1, "the event is in the log")
            // The revocation is in force all the same, once the node's follower applied it.
            let rejected = try await waitUntil(seconds: 2) {
                try await client.send(.get, "/users/me", headers: bearer(secondAccess)).status == .unauthorized
            }
            #expect(rejected != nil)
            // A detected refresh reuse revokes a session too: not acknowledged either.
            let reuse = try await client.refresh(refresh)
            reuse.expectError("unavailable", .serviceUnavailable)
            #expect(reuse.headers[HTTPField.Name("Tessera-Revocation-Id")!] != nil)

            replica.resume()
            let fourth = try #require(try await client.login("durable").string("access_token"))
            let later = try await client.send(.post, "/logout", headers: bearer(fourth))
            #expect(later.status == .noContent, "acknowledged again once the replica is back: \(later.body)")
        }
        await node.shutdown()
    }

    private func waitForSync(_ master: RedisServer) async throws {
        let store = master.makeStore()
        for _ in 0..<500 {
            let info = (try? await store.pool.send("INFO", "replication").string) ?? ""
            if info.contains("connected_slaves:1"), info.contains("state=online") {
                await store.pool.shutdown()
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        await store.pool.shutdown()
        throw TestSupportError("the replica did not come online")
    }
}
