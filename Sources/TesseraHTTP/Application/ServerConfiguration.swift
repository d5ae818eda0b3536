/// How the HTTP front of a node is set up. The executable fills it from flags and environment;
/// tests build it directly.
public struct ServerConfiguration: Sendable {
    /// The address to bind (default loopback only).
    public var host: String
    /// The port to bind; 0 picks a free one (tests).
    public var port: Int
    /// The server's name in logs.
    public var serverName: String

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 8080, serverName: String = "tessera") {
        self.host = host
        self.port = port
        self.serverName = serverName
    }
}
