#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension UnsafeBufferPointer<UInt8> {
    /// Whether both buffers hold the same bytes (`memcmp`; not constant-time).
    func hasSameBytes(as other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        guard count > 0, let base = baseAddress, let otherBase = other.baseAddress else { return true }
        return memcmp(base, otherBase, count) == 0
    }

    /// Whether the buffer holds exactly `literal`'s UTF-8 bytes.
    func hasSameBytes(as literal: StaticString) -> Bool {
        hasSameBytes(as: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// The index of the first `byte` at or after `start` (`memchr`), or `nil`.
    func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        guard start < count, let base = baseAddress, let found = memchr(base + start, Int32(byte), count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The bytes as a `String`, or `nil` when they are not UTF-8. ASCII skips the validation
    /// (`String(validating:as:)` is generic and unspecialized).
    var utf8String: String? {
        isASCII ? String(decoding: self, as: UTF8.self) : String(validating: self, as: UTF8.self)
    }

    /// Whether the bytes are well-formed UTF-8 (no overlong forms, surrogates or scalars past
    /// U+10FFFF), checked without making a `String`.
    var isValidUTF8: Bool {
        if isASCII { return true }
        var iterator = makeIterator()
        var decoder = Unicode.UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Whether every byte is ASCII.
    var isASCII: Bool {
        var combined: UInt8 = 0
        for byte in self { combined |= byte }
        return combined < 0x80
    }
}
