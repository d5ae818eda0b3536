/// A JSON value as the reference parser reads it: numbers are kept as their text, objects as
/// their members in order (duplicates included).
public indirect enum ReferenceJSON: Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([ReferenceJSON])
    case object([Member])

    public struct Member: Equatable {
        public let name: String
        public let value: ReferenceJSON
    }

    /// The value of the first member named `name` of an object.
    public subscript(name: String) -> ReferenceJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.name == name }?.value
    }

    public var string: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// A number written as an integer (no fraction, no exponent) that fits Int64.
    public var int64: Int64? {
        if case .number(let text) = self, !text.contains(where: { ".eE".contains($0) }) { return Int64(text) }
        return nil
    }

    public var strings: [String]? {
        guard case .array(let elements) = self else { return nil }
        let strings = elements.compactMap(\.string)
        return strings.count == elements.count ? strings : nil
    }

    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// Reads a JSON text (RFC 8259) the plain way: a recursive descent over the bytes, written
    /// for these checks and sharing nothing with the code under test. The text must be UTF-8 (by
    /// the standard library's validator); strings are unescaped, and a `\u` escape of a lone
    /// surrogate is refused (it has no UTF-8). nil for anything that is not a JSON text.
    public static func parse(_ bytes: [UInt8]) -> ReferenceJSON? {
        guard String(validating: bytes, as: UTF8.self) != nil else { return nil }
        var parser = Parser(bytes: bytes)
        guard let value = parser.value(depth: 0) else { return nil }
        parser.skipWhitespace()
        return parser.position == bytes.count ? value : nil
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
        }

        mutating func value(depth: Int) -> ReferenceJSON? {
            guard depth < 512 else { return nil }
            skipWhitespace()
            switch current {
            case UInt8(ascii: "{"):
                position += 1
                var members: [Member] = []
                skipWhitespace()
                if current == UInt8(ascii: "}") {
                    position += 1
                    return .object(members)
                }
                while true {
                    skipWhitespace()
                    guard current == UInt8(ascii: "\""), let name = string() else { return nil }
                    skipWhitespace()
                    guard current == UInt8(ascii: ":") else { return nil }
                    position += 1
                    guard let element = value(depth: depth + 1) else { return nil }
                    members.append(Member(name: name, value: element))
                    skipWhitespace()
                    if current == UInt8(ascii: ",") {
                        position += 1
                    } else if current == UInt8(ascii: "}") {
                        position += 1
                        return .object(members)
                    } else {
                        return nil
                    }
                }
            case UInt8(ascii: "["):
                position += 1
                var elements: [ReferenceJSON] = []
                skipWhitespace()
                if current == UInt8(ascii: "]") {
                    position += 1
                    return .array(elements)
                }
                while true {
                    guard let element = value(depth: depth + 1) else { return nil }
                    elements.append(element)
                    skipWhitespace()
                    if current == UInt8(ascii: ",") {
                        position += 1
                    } else if current == UInt8(ascii: "]") {
                        position += 1
                        return .array(elements)
                    } else {
                        return nil
                    }
                }
            case UInt8(ascii: "\""):
                return string().map(ReferenceJSON.string)
            case UInt8(ascii: "t"):
                return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"):
                return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"):
                return literal("null") ? .null : nil
            default:
                return number()
            }
        }

        mutating func literal(_ text: String) -> Bool {
            let expected = Array(text.utf8)
            guard bytes.count - position >= expected.count, Array(bytes[position..<position + expected.count]) == expected else { return false }
            position += expected.count
            return true
        }

        mutating func number() -> ReferenceJSON? {
            let start = position
            func digits() -> Int {
                var count = 0
                while let byte = current, (0x30...0x39).contains(byte) {
                    position += 1
                    count += 1
                }
                return count
            }
            if current == UInt8(ascii: "-") { position += 1 }
            if current == UInt8(ascii: "0") {
                position += 1
            } else if digits() == 0 {
                return nil
            }
            if current == UInt8(ascii: ".") {
                position += 1
                guard digits() > 0 else { return nil }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard digits() > 0 else { return nil }
            }
            return .number(String(decoding: bytes[start..<position], as: UTF8.self))
        }

        /// A string whose opening quote is at the position.
        mutating func string() -> String? {
            position += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll()
            }
            while let byte = current {
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case 0x00..<0x20:
                    return nil
                case UInt8(ascii: "\\"):
                    flush()
                    guard let escaped = current else { return nil }
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{8}")
                    case UInt8(ascii: "f"): scalars.append("\u{C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        guard let unit = hex4() else { return nil }
                        if (0xD800..<0xDC00).contains(unit) {
                            guard literal("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                            scalars.append(Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!)
                        } else {
                            guard let scalar = Unicode.Scalar(unit) else { return nil }
                            scalars.append(scalar)
                        }
                    default:
                        return nil
                    }
                default:
                    raw.append(byte)
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard bytes.count - position >= 4, let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16),
                bytes[position..<position + 4].allSatisfy({ byte in
                    (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
                })
            else { return nil }
            position += 4
            return value
        }
    }
}
