/// An error from Redis or from talking to it, with a code to switch on and a message a person can act on.
public struct RedisError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The server could not be reached (refused, unknown host, no such socket).
        public static let connectionFailed = Code("connectionFailed")
        /// Connecting, waiting for a reply or waiting for a lent connection took longer than allowed.
        public static let timeout = Code("timeout")
        /// The connection broke or was closed (by a timeout of another command, or its owner) while a
        /// command was in flight, or before it could be sent.
        public static let connectionLost = Code("connectionLost")
        /// The server sent something that is not valid RESP.
        public static let protocolError = Code("protocolError")
        /// Redis answered with an error reply (`-ERR ...`).
        public static let serverError = Code("serverError")
        /// The reply had a shape the caller did not expect.
        public static let unexpectedReply = Code("unexpectedReply")
        /// AUTH or SELECT on connect failed.
        public static let authenticationFailed = Code("authenticationFailed")
        /// The URL could not be parsed.
        public static let invalidURL = Code("invalidURL")
        /// The pool was shut down.
        public static let poolClosed = Code("poolClosed")
        /// Every connection for exclusive use is lent out and as many callers as allowed already wait.
        public static let poolExhausted = Code("poolExhausted")
    }

    /// What went wrong.
    public var code: Code
    /// A sentence a person can act on, e.g. `cannot reach Redis at 127.0.0.1:6379: Connection refused`.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension RedisError {
    /// What ends the message of a command refused before a byte of it was written.
    static let neverSentMarker = " was not sent)"

    /// Whether the command was refused before a byte of it was written (its connection had
    /// already closed), so that sending it on another connection cannot run it twice.
    ///
    /// Read from the message rather than stored: a fifth word would make `RedisError` too large
    /// to be thrown in registers, and typed throws of such an error from these async functions
    /// crashed here (Swift 6.3.1).
    var wasNeverSent: Bool { message.hasSuffix(Self.neverSentMarker) }
}
