import Foundation
import NIOHTTP1
import RedisClient
import TesseraAuth
import TesseraCore
import TesseraStore
import TesseraTestSupport
import TesseraVerifier
import Testing

/// Redis, one Tessera node and two example API nodes, one fed from Redis and one from the
/// Tessera node's revocation feed, all over real HTTP on loopback.
@Suite(.redisServer) struct APINodeTests {
    @Test func revocationsOnTheTesseraNodeReachBothKindsOfAPINode() async throws {
        let redis = try RedisServer.suite
        let prefix = RedisServer.uniquePrefix("api")
        let tessera = try await TesseraServer.start(on: redis, keyPrefix: prefix)
        let credential = try await tessera.issueFeedCredential()
        let fromRedis = try await ExampleNode.start(.redis(url: redis.url, keyPrefix: prefix))
        let fromFeed = try await ExampleNode.start(.feed(baseURL: tessera.baseURL, credential: credential.text))
        let nodes = [fromRedis, fromFeed]

        let alice = try await tessera.signIn("alice")
        let admin = try await tessera.signIn("root", roles: ["admin"])
        for node in nodes {
            #expect(try await node.status("/public", token: nil) == 200)
            #expect(try await node.status("/me", token: nil) == 401)
            #expect(try await node.status("/me", token: alice) == 200)
            #expect(try await node.status("/admin", token: alice) == 403)
            #expect(try await node.status("/admin", token: admin) == 200)
            #expect(try await node.status("/me", token: alice + "x") == 401)
        }
        let me = try await HTTP.send(.GET, fromFeed.app.baseURL + "/me", bearer: alice)
        #expect(me.json["username"] as? String == "alice")

        // A logout on the Tessera node: both API nodes reject the token.
        #expect(try await HTTP.send(.POST, tessera.baseURL + "/logout", bearer: alice).status == 204)
        for node in nodes {
            #expect(try await waitUntil { try await node.status("/me", token: alice) == 401 } != nil)
        }
        let rejected = try await HTTP.send(.GET, fromRedis.app.baseURL + "/me", bearer: alice)
        #expect(rejected.header("WWW-Authenticate")?.contains(#"error="invalid_token""#) == true)

        // A forced logout, then a disable, reach both.
        let bob = try await tessera.signIn("bob")
        let carol = try await tessera.signIn("carol")
        for node in nodes {
            #expect(try await node.status("/me", token: bob) == 200)
            #expect(try await node.status("/me", token: carol) == 200)
        }
        #expect(try await HTTP.send(.POST, tessera.baseURL + "/admin/users/bob/logout", bearer: admin).status == 204)
        #expect(try await HTTP.send(.POST, tessera.baseURL + "/admin/users/carol/disable", bearer: admin).status == 204)
        for node in nodes {
            #expect(try await waitUntil { try await node.status("/me", token: bob) == 401 } != nil, "forced logout")
            #expect(try await waitUntil { try await node.status("/me", token: carol) == 401 } != nil, "disable")
            #expect(try await node.status("/admin", token: admin) == 200)
        }

        // Nodes that join now load the snapshot: they reject what was revoked before they started.
        let lateFeed = try await ExampleNode.start(.feed(baseURL: tessera.baseURL, credential: credential.text))
        let lateRedis = try await ExampleNode.start(.redis(url: redis.url, keyPrefix: prefix))
        for node in [lateFeed, lateRedis] {
            for token in [alice, bob, carol] { #expect(try await node.status("/me", token: token) == 401) }
            #expect(try await node.status("/admin", token: admin) == 200)
        }

        for node in nodes + [lateFeed, lateRedis] { await node.app.stop() }
        await tessera.stop()
    }

    @Test func theFeedAsksForALiveCredentialAndCutsTheStreamOfARevokedOne() async throws {
        let redis = try RedisServer.suite
        let tessera = try await TesseraServer.start(on: redis, keyPrefix: RedisServer.uniquePrefix("cred"))
        let credential = try await tessera.issueFeedCredential()
        let snapshot = tessera.baseURL + "/revocations/snapshot"
        #expect(try await HTTP.send(.GET, snapshot).status == 401)
        #expect(try await HTTP.send(.GET, snapshot, bearer: credential.id + ".wrong").status == 401)
        #expect(try await HTTP.send(.GET, snapshot, bearer: credential.text).status == 200)

        let node = try await ExampleNode.start(.feed(baseURL: tessera.baseURL, credential: credential.text), maxRevocationLag: .seconds(1))
        let token = try await tessera.signIn("dave")
        let live = try await HTTP.send(.GET, node.app.baseURL + "/me", bearer: token)
        #expect(live.status == 200, "\(live.body)")
        guard case .revoked = try await tessera.node.store.run(RevokeFeedCredential(credentialID: credential.id)) else {
            Issue.record("not revoked")
            return
        }
        #expect(try await HTTP.send(.GET, snapshot, bearer: credential.text).status == 401)
        // The stream is cut and cannot be reopened: the node fails closed within its bound.
        #expect(try await waitUntil { try await node.status("/me", token: token) == 503 } != nil)
        #expect(!node.verifier.isFresh)
        await node.app.stop()
        await tessera.stop()
    }

    @Test func aStreamResumedAfterAPositionTheNodeNoLongerHoldsIsToldToReload() async throws {
        let redis = try RedisServer.suite
        let prefix = RedisServer.uniquePrefix("reset")
        let first = try await TesseraServer.start(on: redis, keyPrefix: prefix)
        let credential = try await first.issueFeedCredential()
        // A node that starts now holds the log from the credential's event on, not from 1-0.
        let second = try await TesseraServer.start(on: redis, keyPrefix: prefix)
        let answer = try await HTTP.send(
            .GET,
            second.baseURL + "/revocations/events",
            bearer: credential.text,
            headers: [("Last-Event-ID", "1-0")]
        )
        #expect(answer.status == 200)
        #expect(answer.body.hasPrefix("event: reset\n"))
        await second.stop()
        await first.stop()
    }
}

/// Both kinds of API node fail closed while Redis is down and recover by themselves.
@Suite struct APINodeOutageTests {
    @Test func bothKindsFailClosedWithinTheBoundWhileRedisIsDownAndRecover() async throws {
        let redis = try await RedisServer.start()
        let prefix = RedisServer.uniquePrefix("outage")
        let bound = Duration.seconds(1)
        let tessera = try await TesseraServer.start(on: redis, keyPrefix: prefix, maxRevocationLag: bound)
        let credential = try await tessera.issueFeedCredential()
        let nodes = [
            try await ExampleNode.start(.redis(url: redis.url, keyPrefix: prefix), maxRevocationLag: bound),
            try await ExampleNode.start(.feed(baseURL: tessera.baseURL, credential: credential.text), maxRevocationLag: bound),
        ]
        let token = try await tessera.signIn("erin")
        for node in nodes {
            let live = try await HTTP.send(.GET, node.app.baseURL + "/me", bearer: token)
            #expect(live.status == 200, "\(live.body)")
        }

        await redis.stop()
        for node in nodes {
            let failedClosed = try await waitUntil(seconds: 4) { try await node.status("/me", token: token) == 503 }
            #expect(failedClosed != nil, "a node kept answering while Redis was down")
            let answer = try await HTTP.send(.GET, node.app.baseURL + "/me", bearer: token)
            #expect(answer.header("Retry-After") != nil)
            #expect(try await node.status("/readyz", token: nil) == 503)
        }

        try await redis.restart()
        for node in nodes {
            #expect(try await waitUntil(seconds: 10) { try await node.status("/me", token: token) == 200 } != nil, "no recovery")
        }
        // And revocations flow again.
        #expect(try await HTTP.send(.POST, tessera.baseURL + "/logout", bearer: token).status == 204)
        for node in nodes {
            #expect(try await waitUntil { try await node.status("/me", token: token) == 401 } != nil)
        }
        for node in nodes { await node.app.stop() }
        await tessera.stop()
        await redis.shutdown()
    }
}
