import Logging
import RedisClient
import TesseraTestSupport
import Testing

/// `redis-sentinel://` against real sentinels: the master is found, checked with ROLE, and found
/// again after a failover, whether asked for (`SENTINEL FAILOVER`) or forced (kill -9).
@Suite struct RedisSentinelTests {
    let logger = Logger(label: "test")

    @Test func findsTheMasterAndFollowsItThroughAFailoverAndAKill() async throws {
        let set = try await RedisSentinelSet.start()
        let pool = RedisConnectionPool(configuration: try set.configuration(), logger: logger)
        defer {
            Task {
                await pool.shutdown()
                await set.shutdown()
            }
        }
        #expect(try await pool.send("SET", "k", "before").string == "OK")
        #expect(try await masterPort(pool) == set.master.port)

        // A planned failover: the replica becomes the master; the pool follows without a restart.
        _ = await set.askSentinel(0, RedisCommand("SENTINEL", "failover", RedisSentinelSet.masterName))
        let switched = try await waitForWrites(pool, on: set.replica.port)
        print("sentinel failover: writes on the new master after \(switched)")
        #expect(try await pool.send("GET", "k").string == "before", "the new master has the data")

        // kill -9 of that master: the sentinels promote the old one, which rejoined as a replica.
        await set.replica.crash()
        let promoted = try await waitForWrites(pool, on: set.master.port)
        print("kill -9 of the master: writes on the promoted replica after \(promoted)")
        #expect(try await pool.send("GET", "k").string == "before")
    }

    @Test func aNameWhoseAddressIsAReplicaIsRefusedByTheRoleCheck() async throws {
        let set = try await RedisSentinelSet.start()
        defer { Task { await set.shutdown() } }
        do {
            _ = try await RedisConnection.connect(configuration: try set.configuration(masterName: "not-a-master"), logger: logger)
            Issue.record("connected to a replica as if it were the master")
        } catch {
            #expect(error.code == .connectionFailed)
            #expect(error.message.contains("ROLE is slave"), "\(error.message)")
        }
        do {
            _ = try await RedisConnection.connect(configuration: try set.configuration(masterName: "nobody"), logger: logger)
            Issue.record("connected to a master no sentinel knows")
        } catch {
            #expect(error.message.contains("knows no master 'nobody'"), "\(error.message)")
        }
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
            if (try? await pool.send("SET", "probe", "x")) != nil, try await masterPort(pool) == port {
                return ContinuousClock.now - start
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSupportError("no write reached the master on port \(port) within 20 s")
    }
}
