/// A failure of a replay: the store failed, or the log never held still long enough to compare.
public struct ReplayError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Redis failed or the log holds an entry that does not replay; see `underlying`.
        public static let storeFailure = Code("storeFailure")
        /// Events were appended during every attempt to compare; try again when writes are fewer.
        public static let logKeptGrowing = Code("logKeptGrowing")
        /// The task was cancelled (e.g. the command got SIGINT); nothing live was changed.
        public static let cancelled = Code("cancelled")
        /// The key prefix is empty: every key of the database would look like a projection.
        public static let emptyKeyPrefix = Code("emptyKeyPrefix")
    }

    /// What went wrong.
    public var code: Code
    /// What an operator can act on.
    public var message: String
    /// The store failure behind `.storeFailure`.
    public var underlying: StoreError?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: StoreError? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// Wraps a store failure.
    public init(_ error: StoreError) {
        self.init(.storeFailure, error.message, underlying: error)
    }

    public var description: String { message }
}
