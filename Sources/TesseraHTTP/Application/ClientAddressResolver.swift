public import HTTPTypes

/// Finds a request's client address: the TCP peer's, unless the peer is a trusted proxy.
///
/// From a trusted proxy it reads `Forwarded` (RFC 7239, its `for=` parameters) or, without
/// one, `X-Forwarded-For`, and walks the hops from the right — each proxy appends the address it
/// took the request from — past every trusted one: the first untrusted hop is the client.
/// Whatever a client writes into these headers itself stands to the left of that and is never
/// read. A hop that is not an address (`unknown`, an obfuscated name, garbage) ends the walk at
/// the last trusted hop. From any other peer both headers are ignored.
public struct ClientAddressResolver: Sendable {
    /// The networks whose peers' forwarding headers are believed.
    public let trustedProxies: [IPNetwork]

    /// More hops than this in one request are not read (the rest count as one unknown hop).
    static let maxHops = 32

    /// Creates a resolver; with no trusted proxies, the peer is always the client.
    public init(trustedProxies: [IPNetwork]) {
        self.trustedProxies = trustedProxies
    }

    /// The client of a request from `peer` with these headers.
    public func client(peer: IPAddress?, headers: HTTPFields) -> IPAddress? {
        guard let peer, isTrusted(peer) else { return peer }
        var hops = Self.forwardedFor(headers)
        if hops.isEmpty { hops = Self.xForwardedFor(headers) }
        var client = peer
        for hop in hops.suffix(Self.maxHops).reversed() {
            guard let address = hop else { return client }
            client = address
            if !isTrusted(address) { return address }
        }
        return client
    }

    func isTrusted(_ address: IPAddress) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }

    static let forwarded = HTTPField.Name("Forwarded")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// The `for=` values of every `Forwarded` element, left to right (nil: not an address).
    static func forwardedFor(_ headers: HTTPFields) -> [IPAddress?] {
        let values = headers[values: forwarded]
        guard !values.isEmpty else { return [] }
        var hops: [IPAddress?] = []
        for element in splitOutsideQuotes(values.joined(separator: ",")[...], at: ",") {
            for pair in splitOutsideQuotes(element, at: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0].trimmed.lowercased() == "for" else { continue }
                hops.append(node(parts[1]))
            }
        }
        return hops
    }

    /// The comma-separated `X-Forwarded-For` entries, left to right (nil: not an address).
    static func xForwardedFor(_ headers: HTTPFields) -> [IPAddress?] {
        headers[values: xForwardedFor].flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map(node)
    }

    /// An address from a node: `192.0.2.1`, `"192.0.2.1:4711"`, `"[2001:db8::1]:4711"`, `2001:db8::1`.
    static func node(_ text: Substring) -> IPAddress? {
        var value = text.trimmed
        if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
        if value.first == "[" {
            guard let close = value.firstIndex(of: "]") else { return nil }
            let rest = value[value.index(after: close)...]
            guard rest.isEmpty || (rest.first == ":" && rest.dropFirst().allSatisfy(\.isNumber)) else { return nil }
            return IPAddress(value[value.index(after: value.startIndex)..<close])
        }
        if let address = IPAddress(value) { return address }
        // An IPv4 address with a port.
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy(\.isNumber) else { return nil }
        return IPAddress(parts[0])
    }

    /// `text` split at `separator` where it is not inside a quoted string.
    static func splitOutsideQuotes(_ text: Substring, at separator: Character) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var quoted = false
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if escaped {
                escaped = false
            } else if quoted && character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if !quoted && character == separator {
                pieces.append(text[start..<index])
                start = text.index(after: index)
            }
        }
        pieces.append(text[start...])
        return pieces
    }
}

extension Substring {
    fileprivate var trimmed: Substring {
        let isSpace = { (character: Character) in character == " " || character == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}
