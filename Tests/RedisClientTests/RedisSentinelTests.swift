import Logging
import RedisClient
import TesseraTestSupport
import Testing

/// `redis-sentinel://` against real sentinels: the master is found, checked with ROLE, and found
/// again after a failover, whether asked for (`SENTINEL FAILOVER`) or forced (kill -9).
@Suite struct RedisSentinelTests {
    let logger = Logger(label: "test")

    @Test func aPlannedFailoverIsFollowedWithoutARestart() async throws {
        try await withSentinels { set, pool in
            // Written and confirmed by the replica (WAIT on the same connection), so that a planned
            // failover, which promotes whatever the replica has, must keep it.
            let confirmed = try await pool.withConnection { connection throws(RedisError) -> RedisValue in
                _ = try await connection.send(RedisCommand("SET", "k", "before"))
                return try await connection.send(RedisCommand("WAIT", "1", "5000"))
            }
            #expect(confirmed.int == 1)
            #expect(try await masterPort(pool) == set.master.port)
            let old = try await RedisConnection.connect(configuration: set.master.configuration(), logger: logger)
            let new = try await RedisConnection.connect(configuration: set.replica.configuration(), logger: logger)
            defer {
                old.close()
                new.close()
            }
            #expect(pool.isCurrentMaster(old))
            _ = await set.askSentinel(0, RedisCommand("SENTINEL", "failover", RedisSentinelSet.masterName))
            let switched = try await waitForWrites(pool, on: set.replica.port)
            print("SENTINEL FAILOVER: writes reach the new master after \(switched)")
            // The pool heard +switch-master: what the log follower checks between its reads.
            for _ in 0..<200 where pool.isCurrentMaster(old) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(!pool.isCurrentMaster(old))
            #expect(pool.isCurrentMaster(new))
            #expect(try await pool.send("GET", "k").string == "before", "the new master has the data")
        }
    }

    @Test func aKilledMasterIsReplacedAndFollowed() async throws {
        try await withSentinels { set, pool in
            #expect(try await pool.send("SET", "k", "before").string == "OK")
            #expect(try await masterPort(pool) == set.master.port)
            // Until the replica holds the write, a kill could lose it (that is what WAIT is for).
            #expect(try await pool.send("WAIT", "1", "2000").int == 1)
            await set.master.crash()
            let promoted = try await waitForWrites(pool, on: set.replica.port)
            print("kill -9 of the master: writes reach the promoted replica after \(promoted)")
            #expect(try await pool.send("GET", "k").string == "before")
        }
    }

    @Test func aNameWhoseAddressIsAReplicaIsRefusedByTheRoleCheck() async throws {
        try await withSentinels { set, _ in
            let replicaNamed = try set.configuration(masterName: "not-a-master")
            let unknown = try set.configuration(masterName: "nobody")
            do throws(RedisError) {
                _ = try await RedisConnection.connect(configuration: replicaNamed, logger: logger)
                Issue.record("connected to a replica as if it were the master")
            } catch {
                #expect(error.code == .connectionFailed)
                #expect(error.message.contains("ROLE is slave"), "\(error.message)")
            }
            do throws(RedisError) {
                _ = try await RedisConnection.connect(configuration: unknown, logger: logger)
                Issue.record("connected to a master no sentinel knows")
            } catch {
                #expect(error.message.contains("knows no master 'nobody'"), "\(error.message)")
            }
            // A connection that meets -READONLY talks to a replica (the master moved): it is
            // closed, so that the next command opens one to wherever the master is now.
            let direct = try await RedisConnection.connect(configuration: set.replica.configuration(), logger: logger)
            guard case .error(let message) = try await direct.send(RedisCommand("SET", "k", "v")) else {
                Issue.record("a replica took a write")
                return
            }
            #expect(message.hasPrefix("READONLY"))
            for _ in 0..<100 where !direct.isClosed { try await Task.sleep(for: .milliseconds(10)) }
            #expect(direct.isClosed)
        }
    }

    /// Runs `body` with a fresh sentinel set and a pool on its URL; stops both before returning,
    /// whether `body` throws or not (the processes must not outlive the test run).
    private func withSentinels(_ body: (RedisSentinelSet, RedisConnectionPool) async throws -> Void) async throws {
        let set = try await RedisSentinelSet.start()
        let pool = RedisConnectionPool(configuration: try set.configuration(), logger: logger)
        let result: Result<Void, any Error>
        do {
            try await body(set, pool)
            result = .success(())
        } catch {
            result = .failure(error)
        }
        await pool.shutdown()
        await set.shutdown()
        try result.get()
    }

    /// The port of the server the pool's commands reach now.
    private func masterPort(_ pool: RedisConnectionPool) async throws -> Int? {
        let reply = try await pool.send("CONFIG", "GET", "port")
        return reply.array?.last?.int.map(Int.init)
    }

    /// Writes until one succeeds on the server at `port`; how long it took. Fails after 20 s.
    private func waitForWrites(_ pool: RedisConnectionPool, on port: Int) async throws -> Duration {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(20) {
            if (try? await pool.send("SET", "probe", "x")) != nil, (try? await masterPort(pool)) == port {
                return ContinuousClock.now - start
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSupportError("no write reached the master on port \(port) within 20 s")
    }
}
