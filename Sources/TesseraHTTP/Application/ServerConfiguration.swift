/// How the HTTP front of a node is set up. The executable fills it from flags and environment;
/// tests build it directly.
public struct ServerConfiguration: Sendable {
    /// The address to bind (default loopback only).
    public var host: String
    /// The port to bind; 0 picks a free one (tests).
    public var port: Int
    /// The server's name in logs.
    public var serverName: String
    /// How long a connection may go without a whole request head, a piece of a request body, or
    /// (between requests) a new request before it is closed; nil never closes one. A request
    /// being answered is never cut, however long the answer streams (the revocation feed).
    public var idleTimeout: Duration?
    /// The proxies whose `Forwarded` / `X-Forwarded-For` headers name the client (see
    /// ``ClientAddressResolver``); from any other peer they are ignored.
    public var trustedProxies: [IPNetwork]

    /// The defaults, which `tessera serve` falls back to as well.
    public enum Defaults {
        /// Long enough for any client that means to send a request, short enough that stalled
        /// connections do not pile up.
        public static let idleTimeout: Duration = .seconds(60)
    }

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        serverName: String = "tessera",
        idleTimeout: Duration? = Defaults.idleTimeout,
        trustedProxies: [IPNetwork] = []
    ) {
        self.host = host
        self.port = port
        self.serverName = serverName
        self.idleTimeout = idleTimeout
        self.trustedProxies = trustedProxies
    }
}
