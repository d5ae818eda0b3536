/// Where a Redis server listens and how to log in to it, parsed from a URL.
///
/// Accepted forms: `redis://[user:password@]host:port[/db]`, `unix:///path/to/socket[?db=N]`
/// (a `password` query item is also read for unix sockets), and
/// `redis-sentinel://[user:password@]host1:26379,host2:26379/MASTER-NAME[/db]`: the master the
/// sentinels know by that name, found anew on every connect (the credentials and database are
/// the master's; a sentinel is sent them only when it asks for them).
public struct RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The transport.
    public enum Address: Sendable, Hashable {
        /// A TCP host and port.
        case tcp(host: String, port: Int)
        /// A unix domain socket path.
        case unix(path: String)
        /// The master that the sentinels at `sentinels` (host, port) monitor under `masterName`.
        case sentinel(sentinels: [Sentinel], masterName: String)
    }

    /// Where one sentinel listens.
    public struct Sentinel: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// The transport.
    public var address: Address
    /// The ACL user for `AUTH user password`; nil means `AUTH password` (or no AUTH).
    public var username: String?
    /// The password; nil means no AUTH on connect.
    public var password: String?
    /// The database to `SELECT` on connect.
    public var database: Int

    /// Creates an endpoint.
    public init(address: Address, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.address = address
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses a `redis://` or `unix://` URL.
    ///
    /// - Throws: `RedisError` with code `.invalidURL` and a message naming the problem.
    public init(url: String) throws(RedisError) {
        func invalid(_ why: String) -> RedisError {
            RedisError(.invalidURL, "invalid Redis URL '\(Self.redacted(url))': \(why)")
        }
        if url.hasPrefix("unix://") {
            var rest = Substring(url.dropFirst("unix://".count))
            var database = 0
            var password: String?
            if let question = rest.firstIndex(of: "?") {
                for item in rest[rest.index(after: question)...].split(separator: "&") {
                    let pair = item.split(separator: "=", maxSplits: 1)
                    guard pair.count == 2 else { throw invalid("a query item must be name=value") }
                    switch pair[0] {
                    case "db":
                        guard let db = Int(pair[1]), db >= 0 else { throw invalid("db must be a non-negative integer") }
                        database = db
                    case "password": password = Self.percentDecoded(pair[1])
                    default: throw invalid("unknown query item '\(pair[0])'")
                    }
                }
                rest = rest[..<question]
            }
            guard rest.hasPrefix("/") else { throw invalid("a unix socket path must be absolute") }
            self.init(address: .unix(path: String(rest)), password: password, database: database)
            return
        }
        let isSentinel = url.hasPrefix("redis-sentinel://")
        guard url.hasPrefix("redis://") || isSentinel else { throw invalid("expected redis://, redis-sentinel:// or unix://") }
        var rest = Substring(url.dropFirst(isSentinel ? "redis-sentinel://".count : "redis://".count))
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = credentials[..<colon]
                username = user.isEmpty ? nil : Self.percentDecoded(user)
                password = Self.percentDecoded(credentials[credentials.index(after: colon)...])
            } else {
                password = Self.percentDecoded(credentials)
            }
        }
        if isSentinel {
            // hosts/MASTER-NAME[/db]
            let parts = rest.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, !parts[1].isEmpty else { throw invalid("expected hosts/MASTER-NAME[/db]") }
            var database = 0
            if parts.count == 3, !parts[2].isEmpty {
                guard let value = Int(parts[2]), value >= 0 else { throw invalid("database must be a non-negative integer") }
                database = value
            }
            var sentinels: [Sentinel] = []
            for item in parts[0].split(separator: ",", omittingEmptySubsequences: false) {
                let (host, port) = try Self.hostAndPort(item, defaultPort: 26379, invalid: invalid)
                sentinels.append(Sentinel(host: host, port: port))
            }
            self.init(
                address: .sentinel(sentinels: sentinels, masterName: Self.percentDecoded(parts[1])),
                username: username,
                password: password,
                database: database
            )
            return
        }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let db = rest[rest.index(after: slash)...]
            if !db.isEmpty {
                guard let value = Int(db), value >= 0 else { throw invalid("database must be a non-negative integer") }
                database = value
            }
            rest = rest[..<slash]
        }
        let (host, port) = try Self.hostAndPort(rest, defaultPort: 6379, invalid: invalid)
        self.init(address: .tcp(host: host, port: port), username: username, password: password, database: database)
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`.
    private static func hostAndPort(
        _ text: Substring,
        defaultPort: Int,
        invalid: (String) -> RedisError
    ) throws(RedisError) -> (String, Int) {
        var host = String(text)
        var port = defaultPort
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw invalid("unclosed IPv6 bracket") }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()), (1...65535).contains(value) else { throw invalid("bad port") }
                port = value
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]), (1...65535).contains(value) else {
                throw invalid("bad port")
            }
            port = value
            host = String(host[..<colon])
        }
        guard !host.isEmpty else { throw invalid("missing host") }
        return (host, port)
    }

    /// `host:port` or the socket path: what error messages name.
    public var description: String {
        switch address {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): path
        case .sentinel(let sentinels, let masterName):
            "master '\(masterName)' of sentinels \(sentinels.map(\.description).joined(separator: ","))"
        }
    }

    /// The URL with every password replaced by `***`, safe to log: the credentials before the last
    /// `@` (as `init(url:)` reads them) and any `password` query item (how a `unix://` URL carries one).
    static func redacted(_ url: String) -> String {
        var text = Substring(url)
        var query: Substring?
        if let question = text.firstIndex(of: "?") {
            query = text[text.index(after: question)...]
            text = text[..<question]
        }
        var redacted = String(text)
        if !url.hasPrefix("unix://") {
            var authorityStart = text.startIndex
            if let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") {
                authorityStart = text.index(colon, offsetBy: 3)
            }
            if let at = text[authorityStart...].lastIndex(of: "@") {
                let credentials = text[authorityStart..<at]
                let user = credentials.firstIndex(of: ":").map { credentials[..<$0] + ":" } ?? ""
                redacted = text[..<authorityStart] + user + "***" + text[at...]
            }
        }
        guard let query else { return redacted }
        let items = query.split(separator: "&", omittingEmptySubsequences: false).map { item in
            item.hasPrefix("password=") ? "password=***" : String(item)
        }
        return redacted + "?" + items.joined(separator: "&")
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
