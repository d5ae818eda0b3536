#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocking reads and writes of local files with `errno`-based messages.
///
/// The CLI reads key files and import files before anything runs on the cooperative pool's
/// behalf for long, so plain blocking POSIX calls are fine here.
enum LocalFile {
    /// A failed file operation: the `errno` and its text.
    struct Failure: Error, CustomStringConvertible {
        var code: Int32
        var description: String { String(cString: strerror(code)) }
        /// Whether the file does not exist.
        var isMissing: Bool { code == ENOENT }
        /// Whether a file to be created exists already.
        var alreadyExists: Bool { code == EEXIST }
    }

    /// The whole file.
    static func contents(of path: String) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(code: errno) }
        defer { close(descriptor) }
        return try readAll(descriptor)
    }

    /// Everything up to end of file from an open descriptor (e.g. 0, standard input).
    static func readAll(_ descriptor: Int32) throws(Failure) -> [UInt8] {
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return contents }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(code: errno)
            }
            contents.append(contentsOf: buffer[..<count])
        }
    }

    /// The first line from a descriptor, without its newline, reading no further than it.
    static func readLine(_ descriptor: Int32) throws(Failure) -> [UInt8] {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(descriptor, &byte, 1)
            if count == 0 || (count == 1 && byte == UInt8(ascii: "\n")) { return line }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(code: errno)
            }
            line.append(byte)
        }
    }

    /// Creates a new file readable by its owner only (mode 0600); fails if it exists.
    static func createPrivate(_ path: String, contents: [UInt8]) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure(code: errno) }
        defer { close(descriptor) }
        var written = 0
        while written < contents.count {
            let count = contents[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let failure = Failure(code: errno)
                unlink(path)
                throw failure
            }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw Failure(code: errno) }
    }

    /// Writes a line to standard error (diagnostics that are not log lines).
    static func writeToStandardError(_ line: String, newline: Bool = true) {
        var bytes = Array(line.utf8)
        if newline { bytes.append(UInt8(ascii: "\n")) }
        bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
    }
}
