import Logging
public import RedisClient
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real Redis Sentinel deployment for tests: a master, one replica and three sentinels
/// (`redis-server --sentinel`), every one on a free loopback port.
///
/// The sentinels monitor the master as `tessera` with a quorum of 2, a down-after of 1 s and a
/// failover timeout of 3 s, so a killed master is replaced within a few seconds. They also monitor
/// the replica under the name `not-a-master` (quorum 5, which three sentinels never reach, so no
/// failover ever "fixes" it): a name whose address is a replica, for the client's ROLE check.
public final class RedisSentinelSet: Sendable {
    /// The master at start.
    public let master: RedisServer
    /// The replica at start.
    public let replica: RedisServer
    /// The sentinels' ports.
    public let sentinelPorts: [Int]
    private let sentinelPIDs: Mutex<[pid_t]>
    private let directory: String

    /// The name the sentinels know the master by.
    public static let masterName = "tessera"

    private init(master: RedisServer, replica: RedisServer, sentinelPorts: [Int], sentinelPIDs: [pid_t], directory: String) {
        self.master = master
        self.replica = replica
        self.sentinelPorts = sentinelPorts
        self.sentinelPIDs = Mutex(sentinelPIDs)
        self.directory = directory
    }

    /// `redis-sentinel://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3/NAME`.
    public func url(masterName: String = RedisSentinelSet.masterName) -> String {
        "redis-sentinel://" + sentinelPorts.map { "127.0.0.1:\($0)" }.joined(separator: ",") + "/" + masterName
    }

    /// A client configuration for the sentinel URL with short timeouts.
    public func configuration(masterName: String = RedisSentinelSet.masterName, poolSize: Int = 2) throws -> RedisConfiguration {
        RedisConfiguration(
            endpoint: try RedisEndpoint(url: url(masterName: masterName)),
            connectTimeoutMilliseconds: 1000,
            commandTimeoutMilliseconds: 5000,
            poolSize: poolSize
        )
    }

    /// Starts the master, the replica (waiting until it is in sync) and the sentinels (waiting
    /// until each one sees the replica).
    public static func start() async throws -> RedisSentinelSet {
        let master = try await RedisServer.start()
        let replica = try await RedisServer.start(extraArguments: ["--replicaof", "127.0.0.1", String(master.port)])
        var template = Array("/tmp/tss-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestSupportError("mkdtemp failed: errno \(errno)") }
        let directory = String(cString: made)
        var ports: [Int] = []
        var pids: [pid_t] = []
        for index in 0..<3 {
            let port = try RedisServer.freeLoopbackPort()
            let configuration = """
                port \(port)
                bind 127.0.0.1
                daemonize no
                dir \(directory)
                logfile \(directory)/sentinel-\(index).log
                sentinel monitor \(masterName) 127.0.0.1 \(master.port) 2
                sentinel down-after-milliseconds \(masterName) 1000
                sentinel failover-timeout \(masterName) 3000
                sentinel parallel-syncs \(masterName) 1
                sentinel monitor not-a-master 127.0.0.1 \(replica.port) 5
                sentinel down-after-milliseconds not-a-master 60000

                """
            let path = "\(directory)/sentinel-\(index).conf"
            guard let file = fopen(path, "w") else { throw TestSupportError("cannot write \(path)") }
            fputs(configuration, file)
            fclose(file)
            pids.append(try RedisServer.spawnProcess([RedisServer.redisServerPath(), path, "--sentinel"]))
            ports.append(port)
        }
        let set = RedisSentinelSet(master: master, replica: replica, sentinelPorts: ports, sentinelPIDs: pids, directory: directory)
        do {
            try await set.waitUntilReady()
        } catch {
            await set.shutdown()
            throw error
        }
        return set
    }

    /// Asks one sentinel a command; nil when it cannot be reached.
    public func askSentinel(_ index: Int, _ command: RedisCommand) async -> RedisValue? {
        let configuration = RedisConfiguration(
            endpoint: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: sentinelPorts[index])),
            connectTimeoutMilliseconds: 500,
            commandTimeoutMilliseconds: 2000
        )
        guard let connection = try? await RedisConnection.connect(configuration: configuration, logger: Logger(label: "test-sentinel")) else {
            return nil
        }
        defer { connection.close() }
        return try? await connection.send(command)
    }

    /// The master's port as sentinel `index` names it now.
    public func announcedMasterPort(by index: Int = 0) async -> Int? {
        guard let reply = await askSentinel(index, RedisCommand("SENTINEL", "get-master-addr-by-name", Self.masterName)),
            let parts = reply.array, parts.count == 2
        else { return nil }
        return parts[1].int.map(Int.init)
    }

    private func waitUntilReady() async throws {
        let pool = RedisConnectionPool(configuration: replica.configuration(poolSize: 1), logger: Logger(label: "test-redis"))
        defer { Task { await pool.shutdown() } }
        for _ in 0..<1000 {
            var ready = false
            if let info = try? await pool.send("INFO", "replication").string, info.contains("master_link_status:up") {
                ready = true
                for index in sentinelPorts.indices {
                    let replicas = await askSentinel(index, RedisCommand("SENTINEL", "replicas", Self.masterName))
                    let others = await askSentinel(index, RedisCommand("SENTINEL", "sentinels", Self.masterName))
                    if (replicas?.array?.count ?? 0) < 1 || (others?.array?.count ?? 0) < 2 { ready = false }
                }
            }
            if ready { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSupportError("the sentinels in \(directory) did not see the replica and each other in 20 s")
    }

    /// Stops the sentinels, the master and the replica, and removes their directories.
    public func shutdown() async {
        let pids = sentinelPIDs.withLock { pids in
            defer { pids = [] }
            return pids
        }
        for pid in pids {
            sendSignal(SIGKILL, to: pid)
            var status: Int32 = 0
            while waitpid(pid, &status, WNOHANG) == 0 { try? await Task.sleep(for: .milliseconds(5)) }
        }
        await master.shutdown()
        await replica.shutdown()
        _ = try? await RedisServer.run(["/bin/rm", "-rf", directory])
    }
}
