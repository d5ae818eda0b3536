public import RedisClient
public import TesseraCore

/// A failure of the event store: Redis unreachable, a script missing, or data that does not parse.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Redis could not be reached or answered with an error; see `underlying`.
        public static let redis = Code("redis")
        /// A Lua script is missing from the package's resources.
        public static let missingScript = Code("missingScript")
        /// A reply or a stored event did not have the expected shape.
        public static let corruptData = Code("corruptData")
        /// A revoking command's events are in the log, but fewer replicas than required confirmed
        /// them in time (`--min-replicas-ack`); see `events`.
        public static let notReplicated = Code("notReplicated")
    }

    /// What went wrong.
    public var code: Code
    /// What a person (operator) can act on; never shown to API clients.
    public var message: String
    /// The Redis error behind a `.redis` failure.
    public var underlying: RedisError?
    /// The events a `.notReplicated` command appended (they are in the log).
    public var events: [RecordedEvent]

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: RedisError? = nil, events: [RecordedEvent] = []) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.events = events
    }

    /// Wraps a Redis error.
    public init(_ error: RedisError) {
        self.init(.redis, error.message, underlying: error)
    }

    public var description: String { message }
}
