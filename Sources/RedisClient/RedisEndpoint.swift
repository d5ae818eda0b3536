/// Where a Redis server listens and how to log in to it, parsed from a URL.
///
/// Accepted forms: `redis://[user:password@]host:port[/db]` and `unix:///path/to/socket[?db=N]`
/// (a `password` query item is also read for unix sockets).
public struct RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The transport.
    public enum Address: Sendable, Hashable {
        /// A TCP host and port.
        case tcp(host: String, port: Int)
        /// A unix domain socket path.
        case unix(path: String)
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
        guard url.hasPrefix("redis://") else { throw invalid("expected redis:// or unix://") }
        var rest = Substring(url.dropFirst("redis://".count))
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
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let db = rest[rest.index(after: slash)...]
            if !db.isEmpty {
                guard let value = Int(db), value >= 0 else { throw invalid("database must be a non-negative integer") }
                database = value
            }
            rest = rest[..<slash]
        }
        var host = String(rest)
        var port = 6379
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
        self.init(address: .tcp(host: host, port: port), username: username, password: password, database: database)
    }

    /// `host:port` or the socket path: what error messages name.
    public var description: String {
        switch address {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): path
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
