import Logging
public import RedisClient
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real `redis-server` child process in a short temporary directory, for tests.
///
/// It listens on a free loopback port and on a unix socket, with AOF on, and is stopped by `stop()`.
/// The process is spawned with `posix_spawn` and a cleared signal mask (a child started from async
/// code otherwise inherits a mask that blocks SIGTERM), and reaped by polling `waitpid(WNOHANG)`,
/// so no cooperative thread ever blocks on it.
public final class RedisServer: Sendable {
    /// The temp directory holding the socket, the AOF files and the log.
    public let directory: String
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// Arguments given to redis-server after the usual ones (e.g. `--replicaof`).
    public let extraArguments: [String]
    private let pid: Mutex<pid_t>

    /// The server's unix socket path.
    public var socketPath: String { directory + "/redis.sock" }
    /// `redis://127.0.0.1:PORT`.
    public var url: String { "redis://127.0.0.1:\(port)" }
    /// The TCP endpoint.
    public var endpoint: RedisEndpoint { RedisEndpoint(address: .tcp(host: "127.0.0.1", port: port)) }
    /// A client configuration for this server with short timeouts.
    public func configuration(poolSize: Int = 4) -> RedisConfiguration {
        RedisConfiguration(endpoint: endpoint, connectTimeoutMilliseconds: 1000, commandTimeoutMilliseconds: 5000, poolSize: poolSize)
    }

    private init(directory: String, port: Int, extraArguments: [String], pid: pid_t) {
        self.directory = directory
        self.port = port
        self.extraArguments = extraArguments
        self.pid = Mutex(pid)
    }

    /// Starts a server in a new temp dir and waits until it answers PING.
    ///
    /// The free port is picked before redis-server binds it, so another process (often an
    /// outgoing connection given it as its ephemeral port) can take it first; redis-server then
    /// exits at once, and the start is tried again on another port.
    public static func start(extraArguments: [String] = []) async throws -> RedisServer {
        var template = Array("/tmp/tsr-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestSupportError("mkdtemp failed: errno \(errno)") }
        let directory = String(cString: made)
        var attempt = 1
        while true {
            let port = try freeLoopbackPort()
            let server = RedisServer(
                directory: directory,
                port: port,
                extraArguments: extraArguments,
                pid: try spawn(directory: directory, port: port, extraArguments: extraArguments)
            )
            do {
                try await server.waitUntilReady()
                return server
            } catch is ServerExited where attempt < 5 {
                attempt += 1
            }
        }
    }

    /// redis-server exited before it answered PING (e.g. its port was taken).
    private struct ServerExited: Error, CustomStringConvertible {
        let directory: String
        var description: String { "redis-server in \(directory) exited before answering PING; see its redis.log" }
    }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and keeps its directory, so it can be restarted.
    public func stop() async {
        let current = pid.withLock { pid in
            defer { pid = 0 }
            return pid
        }
        guard current > 0 else { return }
        sendSignal(SIGTERM, to: current)
        var waited = 0
        while true {
            var status: Int32 = 0
            let reaped = waitpid(current, &status, WNOHANG)
            if reaped == current || reaped < 0 { return }
            if waited == 5000 { sendSignal(SIGKILL, to: current) }
            try? await Task.sleep(for: .milliseconds(10))
            waited += 10
        }
    }

    /// Kills the server with SIGKILL, as a crash would: its clients' connections break with
    /// commands in flight, and there is no shutdown, no final AOF write or fsync of its own.
    /// What it had written to the AOF file is in the kernel's page cache and survives;
    /// `restart()` replays it. Keeps the directory.
    public func crash() async {
        let current = pid.withLock { pid in
            defer { pid = 0 }
            return pid
        }
        guard current > 0 else { return }
        sendSignal(SIGKILL, to: current)
        while true {
            var status: Int32 = 0
            let reaped = waitpid(current, &status, WNOHANG)
            if reaped == current || reaped < 0 { return }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Starts the server again on the same port and directory (so the AOF is replayed).
    public func restart() async throws {
        await stop()
        let newPID = try Self.spawn(directory: directory, port: port, extraArguments: extraArguments)
        pid.withLock { $0 = newPID }
        try await waitUntilReady()
    }

    /// Freezes the process (SIGSTOP): its connections stay open but it answers nothing, as a
    /// replica that hangs would. `resume()` thaws it.
    public func pause() {
        let current = pid.withLock { $0 }
        if current > 0 { sendSignal(SIGSTOP, to: current) }
    }

    /// Thaws a paused process (SIGCONT).
    public func resume() {
        let current = pid.withLock { $0 }
        if current > 0 { sendSignal(SIGCONT, to: current) }
    }

    /// Stops the server and removes its directory.
    public func shutdown() async {
        await stop()
        _ = try? await Self.run(["/bin/rm", "-rf", directory])
    }

    /// A key prefix no other test uses, so tests share one server without FLUSHALL.
    public static func uniquePrefix(_ label: String = "t") -> String {
        let random = (0..<8).map { _ in String(UInt8.random(in: 0...35), radix: 36) }.joined()
        return "\(label)-\(random):"
    }

    private func waitUntilReady() async throws {
        let pool = RedisConnectionPool(configuration: configuration(poolSize: 1), logger: Logger(label: "test-redis"))
        defer { Task { await pool.shutdown() } }
        var lastError: (any Error)?
        for _ in 0..<500 {
            if hasExited() { throw ServerExited(directory: directory) }
            do {
                if case .simpleString("PONG") = try await pool.send("PING") { return }
            } catch {
                lastError = error
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestSupportError("redis-server in \(directory) did not answer PING: \(String(describing: lastError))")
    }

    /// Whether the server process has exited (and is now reaped).
    private func hasExited() -> Bool {
        pid.withLock { pid in
            var status: Int32 = 0
            guard pid > 0, waitpid(pid, &status, WNOHANG) == pid else { return false }
            pid = 0
            return true
        }
    }

    static func redisServerPath() -> String {
        for candidate in ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"]
        where access(candidate, X_OK) == 0 {
            return candidate
        }
        return "redis-server"
    }

    private static func spawn(directory: String, port: Int, extraArguments: [String]) throws -> pid_t {
        let arguments =
            [
                redisServerPath(),
                "--port", String(port), "--bind", "127.0.0.1",
                "--unixsocket", directory + "/redis.sock", "--unixsocketperm", "700",
                "--dir", directory, "--logfile", directory + "/redis.log",
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                "--daemonize", "no", "--protected-mode", "yes",
            ] + extraArguments
        return try spawnProcess(arguments)
    }

    static func run(_ arguments: [String]) async throws -> Int32 {
        let child = try spawnProcess(arguments)
        while true {
            var status: Int32 = 0
            if waitpid(child, &status, WNOHANG) == child { return status }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func spawnProcess(_ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // Standard input, output and error from /dev/null: a server a failed test left running
        // must not hold the test runner's output pipe open (swift test waits for it to close).
        var files = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY, 0)

        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawnp(&child, arguments[0], &files, &attributes, &cArguments, environ)
        guard status == 0 else {
            throw TestSupportError("cannot start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        return child
    }

    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw TestSupportError("bind failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw TestSupportError("getsockname failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// `kill(2)`, out of reach of `RedisServer.kill()`'s name.
func sendSignal(_ signal: Int32, to pid: pid_t) {
    _ = kill(pid, signal)
}

/// A failure of the test support itself (not of the code under test).
public struct TestSupportError: Error, CustomStringConvertible {
    /// What failed.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
