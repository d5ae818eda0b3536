/// A command as its binary-safe argument list, encoded with hiredis's `redisFormatCommandArgv`.
public struct RedisCommand: Sendable, Hashable {
    /// The arguments, the command name first.
    public var arguments: [[UInt8]]

    /// A command from raw arguments; any byte, NUL included, is allowed.
    public init(arguments: [[UInt8]]) {
        self.arguments = arguments
    }

    /// A command from text arguments, each sent as its UTF-8 bytes.
    public init(_ name: String, _ arguments: [String]) {
        self.arguments = [Array(name.utf8)] + arguments.map { Array($0.utf8) }
    }

    /// A command from text arguments, each sent as its UTF-8 bytes.
    public init(_ name: String, _ arguments: String...) {
        self.init(name, arguments)
    }

    /// The command name, for logs and error messages (never the arguments, which may be secret).
    public var name: String {
        arguments.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
