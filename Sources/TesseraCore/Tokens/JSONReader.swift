/// A forward-only JSON reader over UTF-8 bytes for the token hot path.
///
/// It never allocates except to make the `String`s the caller asks for: strings are
/// unescaped in place (an escape is never shorter than what it decodes to), and values are
/// returned as ranges of the buffer. Every syntax error throws `failure`; nothing traps on
/// any input. Numbers are read as integers only: a fraction or an exponent where an integer
/// is expected is an error. Nesting deeper than ``maximumDepth`` is an error. Every string
/// must be UTF-8 once unescaped (RFC 8259 §8.1), also the ones no caller looks at: member names
/// and the strings ``skipValue(depth:)`` skips are checked here, string values when they are made.
struct JSONReader {
    static let maximumDepth = 16

    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private var position = 0
    /// The error every malformed input throws.
    let failure: TokenRejection

    init(_ bytes: UnsafeMutableBufferPointer<UInt8>, failure: TokenRejection) {
        self.bytes = bytes
        self.failure = failure
    }

    // MARK: Structure

    /// Consumes the `{` that opens an object.
    mutating func beginObject() throws(TokenRejection) {
        guard nextNonWhitespace() == UInt8(ascii: "{") else { throw failure }
        position += 1
    }

    /// Reads the next member's key and its `:`; `nil` once the closing `}` is consumed.
    ///
    /// `isFirst` must start `true` for each object.
    mutating func nextKey(isFirst: inout Bool) throws(TokenRejection) -> Range<Int>? {
        guard let byte = nextNonWhitespace() else { throw failure }
        if byte == UInt8(ascii: "}") {
            position += 1
            return nil
        }
        if !isFirst {
            guard byte == UInt8(ascii: ",") else { throw failure }
            position += 1
        }
        isFirst = false
        let key = try readString()
        guard bytes(in: key).isValidUTF8 else { throw failure }
        guard nextNonWhitespace() == UInt8(ascii: ":") else { throw failure }
        position += 1
        return key
    }

    /// Consumes the `[` that opens an array.
    mutating func beginArray() throws(TokenRejection) {
        guard nextNonWhitespace() == UInt8(ascii: "[") else { throw failure }
        position += 1
    }

    /// Whether another element follows (its separating `,` consumed); `false` once the
    /// closing `]` is consumed. `isFirst` must start `true` for each array.
    mutating func hasNextElement(isFirst: inout Bool) throws(TokenRejection) -> Bool {
        guard let byte = nextNonWhitespace() else { throw failure }
        if byte == UInt8(ascii: "]") {
            position += 1
            return false
        }
        if !isFirst {
            guard byte == UInt8(ascii: ",") else { throw failure }
            position += 1
        }
        isFirst = false
        return true
    }

    /// Checks that only whitespace remains.
    mutating func expectEnd() throws(TokenRejection) {
        guard nextNonWhitespace() == nil else { throw failure }
    }

    /// The first byte of the next value, without consuming it; `nil` at the end.
    mutating func peek() -> UInt8? {
        nextNonWhitespace()
    }

    // MARK: Values

    /// Reads a string value and returns the range of its unescaped UTF-8 bytes.
    mutating func readString() throws(TokenRejection) -> Range<Int> {
        guard nextNonWhitespace() == UInt8(ascii: "\"") else { throw failure }
        let start = position + 1
        // Most strings have no escapes: scan them without copying, in locals (a loop over
        // `self`'s properties reloads them from memory on every byte).
        let bytes = self.bytes
        var scan = start
        while scan < bytes.count {
            let byte = bytes[scan]
            if byte == UInt8(ascii: "\"") {
                position = scan + 1
                return start..<scan
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            scan += 1
        }
        position = scan
        var write = position
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return start..<write
            case 0x00..<0x20:
                throw failure
            case UInt8(ascii: "\\"):
                try readEscape(writingAt: &write)
            default:
                bytes[write] = byte
                write += 1
                position += 1
            }
        }
        throw failure
    }

    /// Reads a string value as a `String`; invalid UTF-8 is an error.
    mutating func readStringValue() throws(TokenRejection) -> String {
        try string(readString())
    }

    /// Reads an array whose elements are all strings.
    mutating func readStringArray() throws(TokenRejection) -> [String] {
        try beginArray()
        var strings: [String] = []
        var isFirst = true
        while try hasNextElement(isFirst: &isFirst) {
            strings.append(try readStringValue())
        }
        return strings
    }

    /// Reads an integer; fractions, exponents and values outside `Int64` are errors.
    mutating func readInt64() throws(TokenRejection) -> Int64 {
        guard var byte = nextNonWhitespace() else { throw failure }
        let isNegative = byte == UInt8(ascii: "-")
        if isNegative {
            position += 1
            guard position < bytes.count else { throw failure }
            byte = bytes[position]
        }
        guard Self.isDigit(byte) else { throw failure }
        var value: Int64 = 0
        let bytes = self.bytes
        var scan = position
        if byte == UInt8(ascii: "0") {
            scan += 1
        } else {
            while scan < bytes.count, Self.isDigit(bytes[scan]) {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int64(bytes[scan] &- UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { throw failure }
                value = sum
                scan += 1
            }
        }
        position = scan
        if position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                throw failure
            default:
                break
            }
        }
        return isNegative ? -value : value
    }

    /// Skips one value of any type, checking its syntax.
    mutating func skipValue(depth: Int = 0) throws(TokenRejection) {
        guard let byte = nextNonWhitespace() else { throw failure }
        switch byte {
        case UInt8(ascii: "\""):
            guard try bytes(in: readString()).isValidUTF8 else { throw failure }
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { throw failure }
            position += 1
            var isFirst = true
            while try nextKey(isFirst: &isFirst) != nil {
                try skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw failure }
            position += 1
            var isFirst = true
            while try hasNextElement(isFirst: &isFirst) {
                try skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "t"):
            try skipLiteral("true")
        case UInt8(ascii: "f"):
            try skipLiteral("false")
        case UInt8(ascii: "n"):
            try skipLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try skipNumber()
        default:
            throw failure
        }
    }

    // MARK: Ranges

    /// The bytes of a range returned by ``readString()``.
    func bytes(in range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[range])
    }

    /// The bytes of a range of at most 8 bytes packed little-endian into an integer, for
    /// matching member names without comparing bytes one call at a time.
    func packed(_ range: Range<Int>) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for index in range.prefix(8) {
            value |= UInt64(bytes[index]) << shift
            shift += 8
        }
        return value
    }

    /// Whether a range returned by ``readString()`` holds exactly `literal`'s bytes.
    func range(_ range: Range<Int>, equals literal: StaticString) -> Bool {
        bytes(in: range).hasSameBytes(as: literal)
    }

    /// The `String` of a range returned by ``readString()``; invalid UTF-8 is an error.
    func string(_ range: Range<Int>) throws(TokenRejection) -> String {
        guard let string = bytes(in: range).utf8String else { throw failure }
        return string
    }

    // MARK: Lexing

    private mutating func nextNonWhitespace() -> UInt8? {
        let bytes = self.bytes
        var scan = position
        defer { position = scan }
        while scan < bytes.count {
            let byte = bytes[scan]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                scan += 1
            default:
                return byte
            }
        }
        return nil
    }

    /// Decodes the escape at `position` into `write`, advancing both.
    private mutating func readEscape(writingAt write: inout Int) throws(TokenRejection) {
        guard position + 1 < bytes.count else { throw failure }
        let escaped = bytes[position + 1]
        position += 2
        let decoded: UInt8
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded = escaped
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"):
            try writeUTF8(of: readEscapedScalar(), at: &write)
            return
        default:
            throw failure
        }
        bytes[write] = decoded
        write += 1
    }

    /// Reads the `XXXX` after `\u`, and a following `\uXXXX` low surrogate when needed.
    private mutating func readEscapedScalar() throws(TokenRejection) -> UInt32 {
        let unit = try readHex4()
        switch unit {
        case 0xD800...0xDBFF:
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
            else { throw failure }
            position += 2
            let low = try readHex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw failure }
            return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00...0xDFFF:
            throw failure
        default:
            return unit
        }
    }

    private mutating func readHex4() throws(TokenRejection) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Writes `scalar` as UTF-8; it always fits, since its escape was at least as long.
    private func writeUTF8(of scalar: UInt32, at write: inout Int) {
        switch scalar {
        case 0..<0x80:
            bytes[write] = UInt8(scalar)
            write += 1
        case 0x80..<0x800:
            bytes[write] = UInt8(0xC0 | scalar >> 6)
            bytes[write + 1] = UInt8(0x80 | scalar & 0x3F)
            write += 2
        case 0x800..<0x10000:
            bytes[write] = UInt8(0xE0 | scalar >> 12)
            bytes[write + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            bytes[write + 2] = UInt8(0x80 | scalar & 0x3F)
            write += 3
        default:
            bytes[write] = UInt8(0xF0 | scalar >> 18)
            bytes[write + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            bytes[write + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            bytes[write + 3] = UInt8(0x80 | scalar & 0x3F)
            write += 4
        }
    }

    private mutating func skipLiteral(_ literal: StaticString) throws(TokenRejection) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw failure }
        guard UnsafeBufferPointer(rebasing: bytes[position..<position + count]).hasSameBytes(as: literal) else { throw failure }
        position += count
    }

    /// Skips `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    private mutating func skipNumber() throws(TokenRejection) {
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, Self.isDigit(bytes[position]) else { throw failure }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, Self.isDigit(bytes[position]) else { throw failure }
            skipDigits()
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, Self.isDigit(bytes[position]) else { throw failure }
            skipDigits()
        }
    }

    private mutating func skipDigits() {
        while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}
