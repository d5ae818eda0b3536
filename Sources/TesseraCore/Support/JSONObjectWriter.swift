/// Writes one JSON object, members in the order they are added: the one hand-written JSON
/// writer and string escaper of Tessera.
///
/// It serves what a benchmark showed Codable costs too much for (the claims and header of
/// every token, the token answer, error bodies) and what embeds JSON that is already written
/// (an event's stored data). Strings are escaped per RFC 8259: `"` and `\` with a backslash,
/// control characters as `\u00XX`; everything else, non-ASCII included, passes through as UTF-8.
public struct JSONObjectWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]
    private var isFirstMember = true

    /// Starts an object; `capacity` is a guess of its final size.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// Adds a string member.
    public mutating func add(_ key: String, _ value: String) {
        writeKey(key)
        Self.appendQuoted(value, to: &bytes)
    }

    /// Adds a string member, or `null` when `value` is nil.
    public mutating func add(_ key: String, _ value: String?) {
        guard let value else { return addRaw(key, Self.null) }
        add(key, value)
    }

    /// Adds an integer member.
    public mutating func add(_ key: String, _ value: Int64) {
        writeKey(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Adds a boolean member.
    public mutating func add(_ key: String, _ value: Bool) {
        writeKey(key)
        bytes.append(contentsOf: value ? Self.true : Self.false)
    }

    /// Adds an array of strings.
    public mutating func add(_ key: String, _ values: [String]) {
        writeKey(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.appendQuoted(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Adds a member whose value is JSON already written (it is not checked).
    public mutating func addRaw(_ key: String, _ json: some Collection<UInt8>) {
        writeKey(key)
        bytes.append(contentsOf: json)
    }

    /// Adds an array whose elements are JSON already written (they are not checked).
    public mutating func addRawArray(_ key: String, _ elements: [[UInt8]]) {
        writeKey(key)
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// The finished object's bytes.
    public mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// The finished object as text.
    public mutating func finishText() -> String {
        String(decoding: finish(), as: UTF8.self)
    }

    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        appendQuoted(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func writeKey(_ key: String) {
        if !isFirstMember { bytes.append(UInt8(ascii: ",")) }
        isFirstMember = false
        Self.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    private static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0x00..<0x20:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let null: [UInt8] = Array("null".utf8)
    private static let `true`: [UInt8] = Array("true".utf8)
    private static let `false`: [UInt8] = Array("false".utf8)
}
