import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a new password from standard input: typed twice without echo on a terminal, else the
/// first line of whatever is piped in (its newline stripped, the bytes otherwise as given).
enum PasswordInput {
    /// - Throws: `ValidationError` when the two typed passwords differ, `CommandFailure` when
    ///   standard input cannot be read.
    static func read() throws -> [UInt8] {
        do {
            guard isatty(0) == 1 else { return try LocalFile.readLine(0) }
            let password = try prompt("Password: ")
            guard try prompt("Repeat password: ") == password else {
                throw ValidationError("the passwords do not match")
            }
            return password
        } catch let failure as LocalFile.Failure {
            throw CommandFailure("cannot read the password from standard input: \(failure)")
        }
    }

    /// Prints `text` on the terminal and reads a line with echo off.
    private static func prompt(_ text: String) throws(LocalFile.Failure) -> [UInt8] {
        LocalFile.writeToStandardError(text, newline: false)
        var saved = termios()
        let canSilence = tcgetattr(0, &saved) == 0
        if canSilence {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSAFLUSH, &silent)
        }
        defer {
            if canSilence { tcsetattr(0, TCSAFLUSH, &saved) }
            LocalFile.writeToStandardError("")
        }
        return try LocalFile.readLine(0)
    }
}
