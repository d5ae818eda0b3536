import Foundation
import Logging
import RedisClient
import TesseraTestSupport
import Testing

@Suite struct RedisConnectionFailureTests {
    let logger = Logger(label: "test")

    @Test func unreachableRedisGivesAClearErrorWithinTheConnectTimeout() async throws {
        // A port that was free a moment ago: nothing listens there.
        let port = try await { () async throws -> Int in
            let server = try await RedisServer.start()
            let port = server.port
            await server.shutdown()
            return port
        }()
        let pool = RedisConnectionPool(
            configuration: RedisConfiguration(
                endpoint: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: port)),
                connectTimeoutMilliseconds: 500,
                poolSize: 1
            ),
            logger: Logger(label: "test")
        )
        defer { Task { await pool.shutdown() } }
        let started = ContinuousClock.now
        do {
            _ = try await pool.send("PING")
            Issue.record("expected a connection error")
        } catch {
            #expect(error.code == .connectionFailed)
            #expect(error.message == "cannot reach Redis at 127.0.0.1:\(port): Connection refused")
        }
        // Generous bound: the point is "within the connect timeout", not a latency figure.
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func thePoolReconnectsAfterRedisRestarts() async throws {
        let server = try await RedisServer.start()
        let pool = RedisConnectionPool(configuration: server.configuration(poolSize: 2), logger: Logger(label: "test"))
        _ = try await pool.send("SET", "before", "restart")
        _ = try await pool.pipeline([RedisCommand("PING"), RedisCommand("PING")])
        try await server.restart()
        // The idle connections died with the old process; the pool must notice and reconnect.
        #expect(try await pool.send("PING") == .simpleString("PONG"))
        #expect(try await pool.send("GET", "before") == .bulkString(Array("restart".utf8)), "AOF must bring the key back")
        await pool.shutdown()
        await server.shutdown()
    }

    @Test func aShutDownPoolRefusesWork() async throws {
        let pool = RedisConnectionPool(
            configuration: RedisConfiguration(endpoint: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: 1))),
            logger: Logger(label: "test")
        )
        await pool.shutdown()
        do {
            _ = try await pool.send("PING")
            Issue.record("expected poolClosed")
        } catch {
            #expect(error.code == .poolClosed)
        }
    }

    @Test func aCommandWithoutAReplyTimesOutAndIsNeverSentAgain() async throws {
        let server = try await RedisServer.start()
        var configuration = server.configuration(poolSize: 1)
        configuration.commandTimeoutMilliseconds = 300
        let pool = RedisConnectionPool(configuration: configuration, logger: logger)
        let observer = RedisConnectionPool(configuration: server.configuration(poolSize: 1), logger: logger)
        _ = try await pool.send("PING")
        let started = ContinuousClock.now
        // The script runs 2 s, far past the 300 ms timeout, then increments: it does run, once.
        let slow = Task { await outcome { try await pool.send(Self.slowIncrement("slow", milliseconds: 2000)) } }
        try await Task.sleep(for: .milliseconds(50))
        let queued = (0..<4).map { index in Task { await outcome { try await pool.send("INCR", "queued\(index)") } } }

        let timedOut = await slow.value
        #expect(timedOut.error?.code == .timeout)
        #expect(timedOut.error?.message.contains("EVAL") == true)
        #expect(timedOut.error?.message.contains("not sent again") == true)
        for task in queued {
            let failure = await task.value.error
            #expect(failure?.code == .connectionLost)
            #expect(failure?.message.contains("closed because EVAL timed out") == true, "\(String(describing: failure))")
        }
        #expect(ContinuousClock.now - started < .milliseconds(1500), "callers fail at the timeout, not when Redis answers")

        // Redis answers the observer once the script has finished.
        #expect(try await observer.send("GET", "slow") == .bulkString(Array("1".utf8)), "the script ran once and was not sent again")
        #expect(try await pool.send("PING") == .simpleString("PONG"), "a new connection replaces the closed one")
        for index in 0..<4 {
            let value = try await observer.send("GET", "queued\(index)")
            #expect(value.isNull || value.int == 1, "a command in flight runs at most once")
        }
        await pool.shutdown()
        await observer.shutdown()
        await server.shutdown()
    }

    @Test func aKilledServerFailsEveryCallerInFlightAndTheNextCallReconnects() async throws {
        let server = try await RedisServer.start()
        let pool = RedisConnectionPool(configuration: server.configuration(poolSize: 1), logger: logger)
        _ = try await pool.send("PING")
        let inFlight =
            [Task { await outcome { try await pool.send(Self.slowIncrement("slow", milliseconds: 3000)) } }]
            + (0..<4).map { index in Task { await outcome { try await pool.send("INCR", "queued\(index)") } } }
        try await Task.sleep(for: .milliseconds(100))
        let killed = ContinuousClock.now
        await server.crash()
        for task in inFlight {
            let failure = await task.value.error
            #expect(failure?.code == .connectionLost, "\(String(describing: failure))")
        }
        #expect(ContinuousClock.now - killed < .seconds(2), "in-flight callers fail when the connection breaks, not at their timeout")
        let whileDown = await outcome { try await pool.send("PING") }
        #expect(whileDown.error?.code == .connectionFailed)
        try await server.restart()
        #expect(try await pool.send("PING") == .simpleString("PONG"))
        await pool.shutdown()
        await server.shutdown()
    }

    /// EVAL of a script that keeps Redis busy for `milliseconds`, then increments `key`.
    static func slowIncrement(_ key: String, milliseconds: Int) -> RedisCommand {
        let script = """
            local function now() local t = redis.call('TIME') return t[1] * 1000 + math.floor(t[2] / 1000) end
            local start = now()
            while now() - start < tonumber(ARGV[1]) do end
            return redis.call('INCR', KEYS[1])
            """
        return RedisCommand("EVAL", script, "1", key, String(milliseconds))
    }
}

/// The reply or the error of a call, for tests that expect some calls to fail.
func outcome<Value>(_ call: () async throws -> Value) async -> Result<Value, RedisError> {
    do {
        return .success(try await call())
    } catch let error as RedisError {
        return .failure(error)
    } catch {
        return .failure(RedisError(.unexpectedReply, "not a RedisError: \(error)"))
    }
}

extension Result where Failure == RedisError {
    /// The error of a failed call; nil when it succeeded.
    var error: RedisError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
