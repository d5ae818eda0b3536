/// An IPv4 or IPv6 address as its bytes, parsed from text without the C library.
///
/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, what a dual-stack socket reports for an
/// IPv4 peer) are taken as the IPv4 address they map, so a client has one form whichever
/// socket it reached.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (`::` compression, a dotted-quad tail);
    /// nil for anything else, including a zone (`%eth0`), brackets or a port.
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty, utf8.count <= 45 else { return nil }
        if let v4 = Self.parseIPv4(utf8[...]) {
            bytes = v4
        } else if let v6 = Self.parseIPv6(utf8) {
            if v6[0..<10].allSatisfy({ $0 == 0 }) && v6[10] == 0xFF && v6[11] == 0xFF {
                bytes = Array(v6[12...])
            } else {
                bytes = v6
            }
        } else {
            return nil
        }
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The address in its usual text: dotted quad, or RFC 5952 IPv6 (lower case, the longest
    /// run of two or more zero groups as `::`).
    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        var best: Range<Int>? = nil
        var start: Int? = nil
        for index in 0...8 {
            if index < 8 && groups[index] == 0 {
                if start == nil { start = index }
            } else if let runStart = start {
                if index - runStart >= 2 && index - runStart > (best?.count ?? 0) { best = runStart..<index }
                start = nil
            }
        }
        let hex = { (range: Range<Int>) in groups[range].map { String($0, radix: 16) }.joined(separator: ":") }
        guard let run = best else { return hex(0..<8) }
        return hex(0..<run.lowerBound) + "::" + hex(run.upperBound..<8)
    }

    /// What failures from this address are counted under: an IPv4 address itself; for IPv6 its
    /// /64, the smallest network one subscriber usually gets, so that a client cannot start
    /// afresh by taking another address of its own network.
    public var rateLimitKey: String {
        guard !isIPv4 else { return description }
        return IPNetwork(address: self, prefixLength: 64).description
    }

    private static func parseIPv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                part.count == 1 || part.first != UInt8(ascii: "0")
            else { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard value <= 255 else { return nil }
            result.append(UInt8(value))
        }
        return result
    }

    private static func parseIPv6(_ text: [UInt8]) -> [UInt8]? {
        let colon = UInt8(ascii: ":")
        // Split at "::" (at most once) into the groups before and after the gap.
        var head: [ArraySlice<UInt8>] = []
        var tail: [ArraySlice<UInt8>] = []
        var hasGap = false
        var index = text.startIndex
        if let gap = (0..<(text.count - 1)).first(where: { text[$0] == colon && text[$0 + 1] == colon }) {
            hasGap = true
            let before = text[..<gap]
            let after = text[(gap + 2)...]
            if after.count >= 2,
                (0..<(after.count - 1)).contains(where: { after[after.startIndex + $0] == colon && after[after.startIndex + $0 + 1] == colon })
            {
                return nil
            }
            head = before.isEmpty ? [] : before.split(separator: colon, omittingEmptySubsequences: false)
            tail = after.isEmpty ? [] : after.split(separator: colon, omittingEmptySubsequences: false)
            index = text.endIndex
        }
        if !hasGap {
            head = text[index...].split(separator: colon, omittingEmptySubsequences: false)
        }
        var headBytes: [UInt8] = []
        var tailBytes: [UInt8] = []
        for (position, group) in head.enumerated() {
            let isLast = !hasGap && position == head.count - 1
            guard let groupBytes = parseGroup(group, allowIPv4: isLast) else { return nil }
            headBytes += groupBytes
        }
        for (position, group) in tail.enumerated() {
            guard let groupBytes = parseGroup(group, allowIPv4: position == tail.count - 1) else { return nil }
            tailBytes += groupBytes
        }
        if hasGap {
            guard headBytes.count + tailBytes.count <= 14 else { return nil }
            return headBytes + [UInt8](repeating: 0, count: 16 - headBytes.count - tailBytes.count) + tailBytes
        }
        return headBytes.count == 16 ? headBytes : nil
    }

    /// One group of 1–4 hex digits as 2 bytes, or (last group only) a dotted quad as 4.
    private static func parseGroup(_ group: ArraySlice<UInt8>, allowIPv4: Bool) -> [UInt8]? {
        if allowIPv4, group.contains(UInt8(ascii: ".")) { return parseIPv4(group) }
        guard (1...4).contains(group.count) else { return nil }
        var value: UInt16 = 0
        for byte in group {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return [UInt8(value >> 8), UInt8(value & 0xFF)]
    }
}

/// A network in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`; a bare address is a /32 or /128).
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The network's first address (host bits zero).
    public let address: IPAddress
    /// The number of leading bits that name the network.
    public let prefixLength: Int

    /// The network of `address`'s first `prefixLength` bits.
    init(address: IPAddress, prefixLength: Int) {
        self.address = IPAddress(bytes: Self.masked(address.bytes, prefixLength))
        self.prefixLength = prefixLength
    }

    /// Parses CIDR text.
    /// - Throws: ``IPNetworkError`` with a sentence naming the text and what is wrong with it:
    ///   not an address, a prefix length out of range, or host bits set (`10.0.0.1/8`).
    public init(parsing text: String) throws(IPNetworkError) {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else {
            throw IPNetworkError("'\(text)' is not an IPv4 or IPv6 address or network in CIDR notation (e.g. 10.0.0.0/8, 2001:db8::/32)")
        }
        let maximum = address.bytes.count * 8
        var prefixLength = maximum
        if parts.count == 2 {
            guard let length = Int(parts[1]), parts[1].allSatisfy(\.isASCII), parts[1].first != "+", (0...maximum).contains(length) else {
                throw IPNetworkError("'\(text)': the prefix length must be a number within 0...\(maximum)")
            }
            prefixLength = length
        }
        let network = IPNetwork(address: address, prefixLength: prefixLength)
        guard network.address == address else {
            throw IPNetworkError("'\(text)' has host bits set; the network is \(network)")
        }
        self = network
    }

    /// Whether `address` is in this network (an IPv4 address is never in an IPv6 network).
    public func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == self.address.bytes.count && Self.masked(address.bytes, prefixLength) == self.address.bytes
    }

    public var description: String { "\(address)/\(prefixLength)" }

    private static func masked(_ bytes: [UInt8], _ prefixLength: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = min(max(prefixLength - index * 8, 0), 8)
            return bits == 8 ? byte : byte & ~(UInt8(0xFF) >> bits)
        }
    }
}

/// A CIDR that cannot be parsed, with the sentence that says why.
public struct IPNetworkError: Error, Sendable, CustomStringConvertible {
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let isSpace = { (character: Character) in character == " " || character == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}
