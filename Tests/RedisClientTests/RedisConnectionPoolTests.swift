import Foundation
import Logging
import RedisClient
import TesseraTestSupport
import Testing

@Suite(.redisServer) struct RedisConnectionPoolTests {
    let logger = Logger(label: "test")

    func makePool(size: Int = 4) throws -> RedisConnectionPool {
        RedisConnectionPool(configuration: try RedisServer.suite.configuration(poolSize: size), logger: logger)
    }

    @Test func pipeliningReturnsRepliesInOrder() async throws {
        let pool = try makePool()
        defer { Task { await pool.shutdown() } }
        let key = RedisServer.uniquePrefix() + "counter"
        var commands = [RedisCommand("DEL", key)]
        for _ in 0..<50 { commands.append(RedisCommand("INCR", key)) }
        commands.append(RedisCommand("GET", key))
        commands.append(RedisCommand("NOSUCHCOMMAND"))
        commands.append(RedisCommand("PING"))
        let replies = try await pool.pipeline(commands)
        #expect(replies.count == commands.count)
        #expect(replies[0] == .integer(0))
        for index in 1...50 { #expect(replies[index] == .integer(Int64(index))) }
        #expect(replies[51] == .bulkString(Array("50".utf8)))
        if case .error(let message) = replies[52] {
            #expect(message.contains("unknown command"))
        } else {
            Issue.record("expected an error reply, got \(replies[52])")
        }
        #expect(replies[53] == .simpleString("PONG"))
    }

    @Test func largeAndBinaryValuesRoundTrip() async throws {
        let pool = try makePool()
        defer { Task { await pool.shutdown() } }
        let prefix = RedisServer.uniquePrefix()
        var big = [UInt8](repeating: 0, count: 1 << 20)
        for index in big.indices { big[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7) }
        let binary: [UInt8] = [0, 1, 0, 255, 13, 10, 0, 36, 42]
        let binaryKey: [UInt8] = Array((prefix + "k").utf8) + [0, 9, 0]
        _ = try await pool.send(RedisCommand(arguments: [Array("SET".utf8), Array((prefix + "big").utf8), big]))
        _ = try await pool.send(RedisCommand(arguments: [Array("SET".utf8), binaryKey, binary]))
        #expect(try await pool.send("GET", prefix + "big") == .bulkString(big))
        #expect(try await pool.send(RedisCommand(arguments: [Array("GET".utf8), binaryKey])) == .bulkString(binary))
        #expect(try await pool.send("STRLEN", prefix + "big") == .integer(1 << 20))
        #expect(try await pool.send("GET", prefix + "missing") == .null)
    }

    @Test func errorRepliesAreThrownAsServerErrors() async throws {
        let pool = try makePool()
        defer { Task { await pool.shutdown() } }
        let key = RedisServer.uniquePrefix() + "s"
        _ = try await pool.send("SET", key, "text")
        let error = await #expect(throws: RedisError.self) { try await pool.send("INCR", key) }
        #expect(error?.code == .serverError)
        #expect(error?.message.contains("INCR") == true)
    }

    @Test func manyConcurrentCallersShareABoundedPool() async throws {
        let pool = try makePool(size: 3)
        defer { Task { await pool.shutdown() } }
        let key = RedisServer.uniquePrefix() + "n"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<300 {
                group.addTask { _ = try await pool.send("INCR", key) }
            }
            try await group.waitForAll()
        }
        #expect(try await pool.send("GET", key).int == 300)
        #expect(pool.openConnectionCount >= 1)
        #expect(pool.openConnectionCount <= 3)
    }

    @Test func concurrentCallersEachGetTheirOwnReply() async throws {
        let pool = try makePool(size: 2)
        defer { Task { await pool.shutdown() } }
        let prefix = RedisServer.uniquePrefix()
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<1000 {
                group.addTask {
                    // Each caller's reply names the caller: a reply handed to the wrong caller shows.
                    let reply = try await pool.send(RedisCommand(arguments: [Array("ECHO".utf8), Array("\(prefix)\(index)".utf8) + [0]]))
                    return reply == .bulkString(Array("\(prefix)\(index)".utf8) + [0]) ? 0 : 1
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        #expect(pool.openConnectionCount <= 2)
    }

    @Test func aPipelinesCommandsGoOutBackToBack() async throws {
        let pool = try makePool(size: 1)
        defer { Task { await pool.shutdown() } }
        let prefix = RedisServer.uniquePrefix()
        // A MULTI … EXEC pipeline queues whatever arrives between its MULTI and EXEC on the
        // connection: another caller's command there would get QUEUED and land in the EXEC.
        let (execs, singles) = try await withThrowingTaskGroup(of: (RedisValue?, RedisValue?).self) { group in
            for index in 0..<50 {
                group.addTask {
                    let key = "\(prefix)tx\(index)"
                    let replies = try await pool.pipeline([
                        RedisCommand("MULTI"), RedisCommand("INCR", key), RedisCommand("INCR", key), RedisCommand("EXEC"),
                    ])
                    return (replies.last, nil)
                }
                group.addTask { (nil, try await pool.send("INCR", prefix + "counter")) }
            }
            return try await group.reduce(into: ([RedisValue](), [RedisValue]())) { result, pair in
                if let exec = pair.0 { result.0.append(exec) }
                if let single = pair.1 { result.1.append(single) }
            }
        }
        #expect(execs.allSatisfy { $0 == .array([.integer(1), .integer(2)]) })
        #expect(singles.compactMap(\.int).sorted() == Array(1...50))
    }

    @Test func connectsOverTheUnixSocketWithSelect() async throws {
        let server = try RedisServer.suite
        let endpoint = try RedisEndpoint(url: "unix://\(server.socketPath)?db=5")
        let pool = RedisConnectionPool(configuration: RedisConfiguration(endpoint: endpoint, poolSize: 1), logger: logger)
        defer { Task { await pool.shutdown() } }
        let key = RedisServer.uniquePrefix() + "db5"
        _ = try await pool.send("SET", key, "five")
        #expect(try await pool.send("CLIENT", "INFO").string?.contains("db=5") == true)
        let tcp = try makePool(size: 1)
        defer { Task { await tcp.shutdown() } }
        #expect(try await tcp.send("GET", key) == .null, "db 0 must not see the key written to db 5")
    }

    @Test func authenticatesWithUserAndPassword() async throws {
        let admin = try makePool(size: 1)
        defer { Task { await admin.shutdown() } }
        let user = "u" + RedisServer.uniquePrefix().filter(\.isLetter)
        _ = try await admin.send("ACL", "SETUSER", user, "on", ">pa:ss@word", "~*", "+@all")
        let server = try RedisServer.suite
        let good = RedisConnectionPool(
            configuration: RedisConfiguration(
                endpoint: try RedisEndpoint(url: "redis://\(user):pa%3Ass%40word@127.0.0.1:\(server.port)"),
                poolSize: 1
            ),
            logger: logger
        )
        defer { Task { await good.shutdown() } }
        #expect(try await good.send("ACL", "WHOAMI").string == user)
        let bad = RedisConnectionPool(
            configuration: RedisConfiguration(endpoint: try RedisEndpoint(url: "redis://\(user):wrong@127.0.0.1:\(server.port)"), poolSize: 1),
            logger: logger
        )
        defer { Task { await bad.shutdown() } }
        do {
            _ = try await bad.send("PING")
            Issue.record("wrong password must fail")
        } catch {
            #expect(error.code == .authenticationFailed)
            #expect(!error.message.contains("wrong"))
        }
    }
}
