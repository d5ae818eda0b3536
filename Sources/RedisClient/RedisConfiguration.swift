/// How to reach Redis and how patient to be with it.
public struct RedisConfiguration: Sendable {
    /// The server.
    public var endpoint: RedisEndpoint
    /// How long connecting (including AUTH and SELECT) may take, in milliseconds.
    public var connectTimeoutMilliseconds: Int
    /// How long one command may wait for its reply, in milliseconds.
    public var commandTimeoutMilliseconds: Int
    /// The most connections the pool opens; also the number of threads that drive them.
    public var poolSize: Int

    /// Creates a configuration with defaults suited to one Redis on the same network.
    public init(
        endpoint: RedisEndpoint,
        connectTimeoutMilliseconds: Int = 2000,
        commandTimeoutMilliseconds: Int = 2000,
        poolSize: Int = 8
    ) {
        precondition(poolSize > 0, "poolSize must be positive")
        self.endpoint = endpoint
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.commandTimeoutMilliseconds = commandTimeoutMilliseconds
        self.poolSize = poolSize
    }
}
