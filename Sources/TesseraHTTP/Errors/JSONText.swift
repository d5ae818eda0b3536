/// A tiny JSON writer for response bodies whose key order we choose (no Foundation encoder).
enum JSONText {
    /// A JSON value.
    indirect enum Value {
        case string(String)
        case int(Int64)
        case bool(Bool)
        case null
        case array([Value])
        case object([(String, Value)])
    }

    /// Serializes an object with keys in the given order.
    static func object(_ members: [(String, Value)]) -> String {
        var out = ""
        write(.object(members), to: &out)
        return out
    }

    static func write(_ value: Value, to out: inout String) {
        switch value {
        case .string(let text): writeString(text, to: &out)
        case .int(let number): out += String(number)
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        case .array(let values):
            out += "["
            for (index, element) in values.enumerated() {
                if index > 0 { out += "," }
                write(element, to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, (name, element)) in members.enumerated() {
                if index > 0 { out += "," }
                writeString(name, to: &out)
                out += ":"
                write(element, to: &out)
            }
            out += "}"
        }
    }

    /// Writes `text` as a JSON string. Runs of bytes that need no escape (all of a token, an id or
    /// a name, as a rule) are appended whole: a scalar at a time made the token answer's body cost
    /// more than signing its access token.
    static func writeString(_ text: String, to out: inout String) {
        out += "\""
        let utf8 = text.utf8
        var runStart = utf8.startIndex
        var index = runStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            // Escapes are ASCII, so a run always ends on a scalar boundary.
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out += text[runStart..<index]
                writeEscape(byte, to: &out)
                runStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        out += text[runStart..<utf8.endIndex]
        out += "\""
    }

    private static func writeEscape(_ byte: UInt8, to out: inout String) {
        switch byte {
        case UInt8(ascii: "\""): out += "\\\""
        case UInt8(ascii: "\\"): out += "\\\\"
        case UInt8(ascii: "\n"): out += "\\n"
        case UInt8(ascii: "\r"): out += "\\r"
        case UInt8(ascii: "\t"): out += "\\t"
        default:
            let hex = String(byte, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}
