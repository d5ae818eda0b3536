import Foundation
import HTTPTypes
import HummingbirdTesting
import TesseraTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real `tessera serve` binary (built beside the test bundle by `swift build` / `swift
/// test`) in a process of its own, for what only a process of its own can show: its metrics
/// count its own work and nothing of the test process's other nodes.
///
/// Spawned like the redis-server fixture (posix_spawn with a cleared signal mask, reaped by
/// polling `waitpid(WNOHANG)`); its standard output and error go to a log file.
final class ServeProcess: Sendable {
    let pid: pid_t
    let port: Int
    let logPath: String

    private init(pid: pid_t, port: Int, logPath: String) {
        self.pid = pid
        self.port = port
        self.logPath = logPath
    }

    /// The `tessera` binary of this build.
    static var binaryPath: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tessera").path
    }

    /// Starts `tessera serve` on a free loopback port with `arguments` and extra `environment`
    /// and waits until `/readyz` answers 200 (10 s at most).
    static func start(arguments: [String], environment: [String: String], logPath: String) async throws -> ServeProcess {
        let binary = binaryPath
        guard access(binary, X_OK) == 0 else { throw TestSupportError("no tessera binary at \(binary): run swift build first") }
        for _ in 0..<3 {
            let port = try freeLoopbackPort()
            let command = [binary, "serve", "--host", "127.0.0.1", "--port", String(port)] + arguments
            let process = ServeProcess(pid: try spawn(command, environment: environment, logPath: logPath), port: port, logPath: logPath)
            for _ in 0..<200 {
                if process.hasExited() { break }  // most likely its port was taken meanwhile: try another
                if (try? await process.withConnection { try await $0.send(.get, "/readyz").status }) == .ok { return process }
                try await Task.sleep(for: .milliseconds(50))
            }
            await process.stop()
        }
        throw TestSupportError("tessera serve did not become ready; see \(logPath)")
    }

    /// Runs `body` with a connection of its own to the server.
    func withConnection<Value: Sendable>(_ body: @escaping @Sendable (LiveConnection) async throws -> Value) async throws -> Value {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { try await body(LiveConnection(client: $0)) }
    }

    /// SIGTERM (a graceful shutdown), SIGKILL after 5 s; returns the exit status.
    @discardableResult
    func stop() async -> Int32 {
        kill(pid, SIGTERM)
        for waited in 0... {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return status }
            if reaped < 0 { return -1 }
            if waited == 500 { kill(pid, SIGKILL) }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return -1
    }

    private func hasExited() -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    private static func spawn(_ arguments: [String], environment: [String: String], logPath: String) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var files = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&files, 1, 2)

        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0)=\($1)") } + [nil]
        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in cArguments + cEnvironment { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, arguments[0], &files, &attributes, &cArguments, &cEnvironment)
        guard status == 0 else { throw TestSupportError("cannot start \(arguments[0]): \(String(cString: strerror(status)))") }
        return child
    }

    private static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard named else { throw TestSupportError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
