import Logging
import RedisClient
import TesseraTestSupport
import Testing

@Suite(.redisServer) struct RedisLeaseTests {
    let logger = Logger(label: "test")

    @Test func aLentConnectionCarriesNobodyElsesCommands() async throws {
        let pool = RedisConnectionPool(configuration: try RedisServer.suite.configuration(poolSize: 1), logger: logger)
        defer { Task { await pool.shutdown() } }
        let prefix = RedisServer.uniquePrefix()
        let watched = prefix + "watched"
        _ = try await pool.send("SET", watched, "0")
        async let writers = withThrowingTaskGroup(of: RedisValue.self) { group in
            for _ in 0..<200 {
                group.addTask { try await pool.send("INCR", prefix + "counter") }
            }
            return try await group.reduce(into: [RedisValue]()) { $0.append($1) }
        }
        let replies = try await pool.withConnection { connection throws(RedisError) in
            var replies = [try await connection.send(RedisCommand("WATCH", watched))]
            replies.append(try await connection.send(RedisCommand("MULTI")))
            for _ in 0..<20 {
                // Room for the writers: a command of theirs sent here would be queued in this MULTI.
                replies.append(try await connection.send(RedisCommand("INCR", watched)))
                await Task.yield()
            }
            replies.append(try await connection.send(RedisCommand("EXEC")))
            return replies
        }
        #expect(replies.dropLast().dropFirst(2).allSatisfy { $0 == .simpleString("QUEUED") })
        #expect(replies.last == .array((1...20).map { .integer($0) }), "EXEC holds this caller's 20 commands and nothing else")
        #expect(try await writers.compactMap(\.int).sorted() == Array(1...200), "every writer got its own reply, none QUEUED")
    }

    @Test func aWatchedKeyChangedByAnotherCallerAbortsTheTransaction() async throws {
        let pool = RedisConnectionPool(configuration: try RedisServer.suite.configuration(poolSize: 1), logger: logger)
        defer { Task { await pool.shutdown() } }
        let key = RedisServer.uniquePrefix() + "watched"
        let exec = try await pool.withConnection { connection throws(RedisError) in
            _ = try await connection.send(RedisCommand("WATCH", key))
            _ = try await pool.send("SET", key, "from another caller")
            return try await connection.pipeline([RedisCommand("MULTI"), RedisCommand("SET", key, "mine"), RedisCommand("EXEC")]).last
        }
        #expect(exec == .null)
        #expect(try await pool.send("GET", key) == .bulkString(Array("from another caller".utf8)))
    }

    @Test func callersWaitingForALeaseAreBoundedAndTimeOut() async throws {
        var configuration = try RedisServer.suite.configuration(poolSize: 1)
        configuration.maximumLeases = 1
        configuration.maximumLeaseWaiters = 1
        configuration.leaseTimeoutMilliseconds = 200
        let pool = RedisConnectionPool(configuration: configuration, logger: logger)
        defer { Task { await pool.shutdown() } }
        let (held, holding) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await pool.withConnection { connection throws(RedisError) in
                _ = try await connection.send(RedisCommand("PING"))
                holding.yield()
                try? await Task.sleep(for: .seconds(2))
            }
        }
        for await _ in held { break }

        let started = ContinuousClock.now
        let ping = { @Sendable () async throws in
            try await pool.withConnection { connection throws(RedisError) in try await connection.send(RedisCommand("PING")) }
        }
        async let first = outcome(ping)
        async let second = outcome(ping)
        let codes = [await first.error?.code, await second.error?.code]
        // One caller waits (the bound is one) and times out; the other is refused at once.
        #expect(codes.contains(.timeout))
        #expect(codes.contains(.poolExhausted))
        #expect(ContinuousClock.now - started < .milliseconds(1500), "a waiter gives up after 200 ms, not when the lease returns")
        #expect(try await pool.send("PING") == .simpleString("PONG"), "pipelined commands never wait for a lease")

        try await holder.value
        let after = try await pool.withConnection { connection throws(RedisError) in try await connection.send(RedisCommand("PING")) }
        #expect(after == .simpleString("PONG"), "a returned lease is lent again")
    }

    @Test func aLeaseWhoseBodyThrowsIsNotLentAgain() async throws {
        var configuration = try RedisServer.suite.configuration(poolSize: 1)
        configuration.maximumLeases = 1
        let pool = RedisConnectionPool(configuration: configuration, logger: logger)
        defer { Task { await pool.shutdown() } }
        let failed = await outcome {
            try await pool.withConnection { connection throws(RedisError) in
                _ = try await connection.send(RedisCommand("MULTI"))
                throw RedisError(.unexpectedReply, "the caller gave up mid-transaction")
            }
        }
        #expect(failed.error?.code == .unexpectedReply)
        let next = try await pool.withConnection { connection throws(RedisError) in try await connection.send(RedisCommand("PING")) }
        #expect(next == .simpleString("PONG"), "a fresh connection, not one left inside MULTI (which would answer QUEUED)")
    }
}
