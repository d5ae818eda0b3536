import NIOHTTP1
import RedisClient
import TesseraStore
import TesseraTestSupport
import TesseraVerifier
import Testing

/// The Redis-fed verifier runs as a Redis user that may only read the log and the revocation keys.
@Suite(.redisServer) struct RedisACLTests {
    @Test func aReadOnlyACLUserFollowsRevocationsAndCannotWrite() async throws {
        let redis = try RedisServer.suite
        let prefix = RedisServer.uniquePrefix("acl")
        let user = "api-" + String(prefix.dropLast())
        let admin = RedisConnectionPool(configuration: redis.configuration(poolSize: 1), logger: logger)
        let rules = TesseraVerifierConfiguration.RevocationSource.redisACLRules(keyPrefix: prefix)
        let created = try await admin.send(RedisCommand("ACL", ["SETUSER", user, "on", ">api node password"] + rules))
        #expect(created == .simpleString("OK"))

        let tessera = try await TesseraServer.start(on: redis, keyPrefix: prefix)
        let url = "redis://\(user):api%20node%20password@127.0.0.1:\(redis.port)"
        // Signed in first, so the log is not empty when the node starts: its follower then checks,
        // as that user, that the log still holds the snapshot's last event.
        let token = try await tessera.signIn("frank")
        let node = try await ExampleNode.start(.redis(url: url, keyPrefix: prefix))
        #expect(node.verifier.isFresh, "the snapshot (EVALSHA_RO) and XREAD work as the read-only user")
        #expect(try await node.status("/me", token: token) == 200)
        #expect(try await HTTP.send(.POST, tessera.baseURL + "/logout", bearer: token).status == 204)
        #expect(try await waitUntil { try await node.status("/me", token: token) == 401 } != nil)

        // As that user, every write and every other key is refused.
        let readOnly = RedisConnectionPool(configuration: RedisConfiguration(endpoint: try RedisEndpoint(url: url), poolSize: 1), logger: logger)
        let attempts: [RedisCommand] = [
            RedisCommand("XADD", prefix + "events", "*", "type", "Forged", "v", "1", "data", "{}"),
            RedisCommand("ZADD", prefix + "revoked-sessions", "1", "x"),
            RedisCommand("DEL", prefix + "revoked-tokens"),
            RedisCommand("SET", prefix + "x", "1"),
            RedisCommand("EVAL", "return redis.call('DEL', ARGV[1])", "0", prefix + "events"),
            RedisCommand("EVAL_RO", "return redis.call('DEL', ARGV[1])", "0", prefix + "events"),
            RedisCommand("KEYS", "*"),
            RedisCommand("XRANGE", prefix + "user-events:x", "-", "+"),
        ]
        for command in attempts {
            let refusal = await Self.refusal(of: command, on: readOnly)
            #expect(
                ["NOPERM", "can't run this command", "Write commands are not allowed"].contains { refusal?.contains($0) == true },
                "\(command): \(String(describing: refusal))"
            )
        }
        #expect(await Self.refusal(of: RedisCommand("XLEN", prefix + "events"), on: readOnly) != nil, "XLEN is not among the commands")
        await readOnly.shutdown()
        await admin.shutdown()
        await node.app.stop()
        await tessera.stop()
    }

    /// The error Redis answered `command` with, or nil when it ran.
    static func refusal(of command: RedisCommand, on pool: RedisConnectionPool) async -> String? {
        do {
            if case .error(let message) = try await pool.send(command) { return message }
            return nil
        } catch {
            return "\(error)"
        }
    }
}
