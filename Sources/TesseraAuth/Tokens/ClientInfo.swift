/// Where a request came from: for the failure limits and for session listings.
public struct ClientInfo: Sendable, Equatable {
    /// The client's address as a session listing shows it.
    public var address: String
    /// What failures from this client are counted under (an IPv6 client's /64, say).
    public var rateLimitKey: String
    /// The `User-Agent`, at most 256 characters.
    public var userAgent: String

    /// Creates a client description; `userAgent` is cut to 256 characters.
    public init(address: String, rateLimitKey: String? = nil, userAgent: String) {
        self.address = address
        self.rateLimitKey = rateLimitKey ?? address
        self.userAgent = String(userAgent.prefix(256))
    }
}
