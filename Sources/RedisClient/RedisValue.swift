/// One RESP2 reply, converted from hiredis's reply tree into a Swift value.
///
/// hiredis 0.14 speaks RESP2 only, so these six cases are every reply Redis can send.
public enum RedisValue: Sendable, Hashable {
    /// A status reply such as `+OK`.
    case simpleString(String)
    /// An error reply such as `-NOSCRIPT No matching script`.
    case error(String)
    /// An integer reply.
    case integer(Int64)
    /// A bulk string: binary safe, may hold NUL bytes.
    case bulkString([UInt8])
    /// The nil bulk string or nil array.
    case null
    /// An array reply.
    indirect case array([RedisValue])
}

extension RedisValue {
    /// The value as UTF-8 text for status and bulk replies; nil otherwise.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The bytes of a bulk or status reply; nil otherwise.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .simpleString(let text): Array(text.utf8)
        default: nil
        }
    }

    /// The integer of an integer reply, or of a bulk string holding a decimal integer.
    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .bulkString(let bytes): Int64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    /// The elements of an array reply; nil otherwise (including the nil array).
    public var array: [RedisValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// True for the nil reply.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension RedisValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .simpleString(let text): "+\(text)"
        case .error(let text): "-\(text)"
        case .integer(let value): ":\(value)"
        case .bulkString(let bytes): "$\(String(decoding: bytes, as: UTF8.self).debugDescription)"
        case .null: "(nil)"
        case .array(let values): "[\(values.map(\.description).joined(separator: ", "))]"
        }
    }
}
