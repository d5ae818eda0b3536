/// How to reach Redis and how patient to be with it.
public struct RedisConfiguration: Sendable {
    /// The server.
    public var endpoint: RedisEndpoint
    /// How long connecting (including AUTH and SELECT) may take, in milliseconds.
    public var connectTimeoutMilliseconds: Int
    /// How long one command may wait for its reply, in milliseconds.
    public var commandTimeoutMilliseconds: Int
    /// How many connections carry the pool's pipelined commands; 1–4 is plenty on one network.
    public var poolSize: Int
    /// The most connections lent out at once for exclusive use (`withConnection`), besides `poolSize`.
    public var maximumLeases: Int
    /// The most callers that may wait for a lent connection; any beyond fail at once.
    public var maximumLeaseWaiters: Int
    /// How long a caller may wait for a lent connection, in milliseconds.
    public var leaseTimeoutMilliseconds: Int

    /// Creates a configuration with defaults suited to one Redis on the same network.
    public init(
        endpoint: RedisEndpoint,
        connectTimeoutMilliseconds: Int = 2000,
        commandTimeoutMilliseconds: Int = 2000,
        poolSize: Int = 2,
        maximumLeases: Int = 2,
        maximumLeaseWaiters: Int = 16,
        leaseTimeoutMilliseconds: Int = 2000
    ) {
        precondition(poolSize > 0, "poolSize must be positive")
        precondition(maximumLeases > 0, "maximumLeases must be positive")
        precondition(maximumLeaseWaiters >= 0, "maximumLeaseWaiters must not be negative")
        self.endpoint = endpoint
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.commandTimeoutMilliseconds = commandTimeoutMilliseconds
        self.poolSize = poolSize
        self.maximumLeases = maximumLeases
        self.maximumLeaseWaiters = maximumLeaseWaiters
        self.leaseTimeoutMilliseconds = leaseTimeoutMilliseconds
    }
}
