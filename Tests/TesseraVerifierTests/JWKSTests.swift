import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import RedisClient
import Synchronization
import TesseraCore
import TesseraStore
import TesseraTestSupport
import TesseraVerifier
import Testing

/// EdDSA deployments: the API node verifies with the public keys of a JWKS, and fetches it
/// again, at most once per interval, when a token names a key it does not know.
@Suite(.redisServer) struct JWKSTests {
    @Test func eddsaTokensVerifyWithTheJWKSAndAnUnknownKidFetchesItAgainRateLimited() async throws {
        let redis = try RedisServer.suite
        let prefix = RedisServer.uniquePrefix("jwks")
        let old = try SigningKey.ed25519(privateKeySeed: (0..<32).map { _ in UInt8.random(in: 0...255) })
        let new = try SigningKey.ed25519(privateKeySeed: (0..<32).map { _ in UInt8.random(in: 0...255) })
        let before = try await TesseraServer.start(on: redis, keyPrefix: prefix, keys: KeySet([old]))
        let after = try await TesseraServer.start(on: redis, keyPrefix: prefix, keys: KeySet([new, old]))

        // The JWKS the API node reads: the old key only, until the rotation is published.
        let published = Mutex([old])
        let fetches = Atomic(0)
        let router = Router()
        router.get("/jwks.json") { _, _ in
            fetches.add(1, ordering: .relaxed)
            let keys = published.withLock { $0 }.compactMap(\.publicJWK)
            let body = try JSONSerialization.data(withJSONObject: ["keys": keys])
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        let jwks = try await RunningApp.start { onServerRunning in
            Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: onServerRunning)
        }
        let node = try await ExampleNode.start(
            .redis(url: redis.url, keyPrefix: prefix),
            hs256Secrets: [],
            jwksURL: jwks.baseURL + "/jwks.json",
            jwksRefetchInterval: .milliseconds(300)
        )
        let oldToken = try await before.signIn("olga")
        let newToken = try await after.signIn("nina")
        #expect(try await node.status("/me", token: oldToken) == 200)

        // A kid the JWKS does not have: refetched at most once per interval, however many requests.
        try await Task.sleep(for: .milliseconds(350))
        let fetchesBefore = fetches.load(ordering: .relaxed)
        let started = ContinuousClock.now
        for _ in 0..<20 { #expect(try await node.status("/me", token: newToken) == 401) }
        // One fetch per started interval at most, however slow the machine made the 20 requests.
        let intervals = Int((ContinuousClock.now - started) / .milliseconds(300)) + 1
        let fetched = fetches.load(ordering: .relaxed) - fetchesBefore
        #expect(fetched <= intervals && fetched < 20, "the JWKS was fetched \(fetched) times in \(intervals) intervals")

        // Once the new key is published, the next unknown kid past the interval brings it in.
        published.withLock { $0 = [new, old] }
        #expect(try await waitUntil { try await node.status("/me", token: newToken) == 200 } != nil)
        #expect(try await node.status("/me", token: oldToken) == 200)

        await node.app.stop()
        await jwks.stop()
        await after.stop()
        await before.stop()
    }
}
