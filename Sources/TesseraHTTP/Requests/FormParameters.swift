/// The parameters of an `application/x-www-form-urlencoded` body, read by bytes: `&`-separated
/// `name=value` pairs, `+` for a space, `%XX` escapes, names and values percent-decoded and then
/// UTF-8. Empty pairs and pairs without `=` name nothing. A name may appear once (RFC 6749 §3.2):
/// a repeated one is refused, whichever pairs repeat it.
///
/// Written here rather than taken from Hummingbird's `URLEncodedFormDecoder` for two reasons:
/// that decoder finds `&` and `=` by `Character`, so one followed by a combining mark separates
/// nothing there while a proxy reading bytes sees two parameters; and its `Codable` machinery
/// (nested keys, a tree of nodes) took a tenth of the node's CPU time of a refresh grant.
struct FormParameters {
    enum Failure: Error {
        /// A name appears more than once.
        case repeated
        /// A `%` not followed by two hex digits, or a name or value that is not UTF-8 once decoded.
        case badEncoding
    }

    private var values: [String: String] = [:]

    init(_ body: some Sequence<UInt8>) throws(Failure) {
        let bytes = Array(body)
        for pair in bytes.split(separator: UInt8(ascii: "&")) {
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { continue }
            guard let name = Self.decode(pair[..<equals]), let value = Self.decode(pair[(equals + 1)...]) else {
                throw .badEncoding
            }
            guard values.updateValue(value, forKey: name) == nil else { throw .repeated }
        }
    }

    subscript(name: String) -> String? {
        values[name]
    }

    /// `bytes` with `+` read as a space and `%XX` escapes decoded, as UTF-8; nil for a bad
    /// escape or bytes that are not UTF-8.
    private static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(validating: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "+"):
                decoded.append(UInt8(ascii: " "))
                index += 1
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else {
                    return nil
                }
                decoded.append(high << 4 | low)
                index += 3
            case let byte:
                decoded.append(byte)
                index += 1
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
