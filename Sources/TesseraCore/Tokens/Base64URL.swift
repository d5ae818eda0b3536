/// Unpadded base64url (RFC 4648 §5), as JOSE uses it, with a strict decoder.
///
/// The decoder accepts exactly one spelling of every byte string: no padding, no
/// whitespace, no characters outside `A–Z a–z 0–9 - _`, and the unused low bits of the
/// last character must be zero. Two different strings therefore never decode to the same
/// bytes, so a token string can be used as a key without a second encoding sneaking past.
public enum Base64URL {
    /// Encodes bytes as unpadded base64url.
    ///
    /// O(n); never fails.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let encoded = bytes.withContiguousStorageIfAvailable { encode(buffer: $0) }
        return encoded ?? Array(bytes).withUnsafeBufferPointer { encode(buffer: $0) }
    }

    /// Decodes unpadded, canonical base64url; returns `nil` for anything else.
    ///
    /// Rejects padding (`=`), characters outside the base64url alphabet, lengths where
    /// `count % 4 == 1`, and encodings whose last character carries non-zero unused bits.
    /// O(n).
    public static func decode(_ string: some StringProtocol) -> [UInt8]? {
        if let decoded = string.utf8.withContiguousStorageIfAvailable({ decode(buffer: $0) }) {
            return decoded
        }
        return Array(string.utf8).withUnsafeBufferPointer { decode(buffer: $0) }
    }

    /// The number of bytes `count` base64url characters decode to, or `nil` for an
    /// impossible length.
    static func decodedCount(ofEncodedCount count: Int) -> Int? {
        switch count % 4 {
        case 0: return count / 4 * 3
        case 2: return count / 4 * 3 + 1
        case 3: return count / 4 * 3 + 2
        default: return nil
        }
    }

    /// The number of characters `count` bytes encode to.
    static func encodedCount(ofDecodedCount count: Int) -> Int {
        (count * 4 + 2) / 3
    }

    /// Decodes `input` into `output`, which must hold at least
    /// `decodedCount(ofEncodedCount: input.count)` bytes; returns the count written, or
    /// `nil` when the input is not canonical base64url.
    static func decode(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) -> Int? {
        guard let outputCount = decodedCount(ofEncodedCount: input.count) else { return nil }
        return groupTable.withUnsafeBufferPointer { groupTable in
            decode(input, into: output, count: outputCount, groupTable: groupTable)
        }
    }

    private static func decode(
        _ input: UnsafeBufferPointer<UInt8>,
        into output: UnsafeMutablePointer<UInt8>,
        count outputCount: Int,
        groupTable: UnsafeBufferPointer<UInt32>
    ) -> Int? {
        // One lookup per character in a table that holds its 6 bits already shifted into
        // place for each of a group's 4 positions, and one validity check at the end (a
        // character outside the alphabet sets bit 24 or higher).
        let fullGroups = input.count / 4
        var invalid: UInt32 = 0
        var i = 0
        var o = 0
        for _ in 0..<fullGroups {
            let group =
                groupTable[Int(input[i])] | groupTable[256 + Int(input[i + 1])] | groupTable[512 + Int(input[i + 2])]
                | groupTable[768 + Int(input[i + 3])]
            invalid |= group
            output[o] = UInt8(truncatingIfNeeded: group >> 16)
            output[o + 1] = UInt8(truncatingIfNeeded: group >> 8)
            output[o + 2] = UInt8(truncatingIfNeeded: group)
            i += 4
            o += 3
        }
        switch input.count - i {
        case 2:
            let group = groupTable[Int(input[i])] | groupTable[256 + Int(input[i + 1])]
            // The last character's low 4 bits are not part of the output: they must be zero.
            invalid |= group | (group & 0xF000 == 0 ? 0 : 0xFF00_0000)
            output[o] = UInt8(truncatingIfNeeded: group >> 16)
        case 3:
            let group = groupTable[Int(input[i])] | groupTable[256 + Int(input[i + 1])] | groupTable[512 + Int(input[i + 2])]
            // The last character's low 2 bits are not part of the output: they must be zero.
            invalid |= group | (group & 0xC0 == 0 ? 0 : 0xFF00_0000)
            output[o] = UInt8(truncatingIfNeeded: group >> 16)
            output[o + 1] = UInt8(truncatingIfNeeded: group >> 8)
        default:
            break
        }
        return invalid >> 24 == 0 ? outputCount : nil
    }

    private static func decode(buffer: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let count = decodedCount(ofEncodedCount: buffer.count) else { return nil }
        guard count > 0 else { return [] }
        var isValid = false
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            initialized = 0
            if let base = output.baseAddress, let written = decode(buffer, into: base) {
                initialized = written
                isValid = true
            }
        }
        return isValid ? bytes : nil
    }

    private static func encode(buffer input: UnsafeBufferPointer<UInt8>) -> String {
        let count = encodedCount(ofDecodedCount: input.count)
        guard count > 0 else { return "" }
        return String(unsafeUninitializedCapacity: count) { output in
            let alphabet = encodingTable
            var i = 0
            var o = 0
            while i + 3 <= input.count {
                let group = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                output[o] = alphabet[Int(group >> 18 & 0x3F)]
                output[o + 1] = alphabet[Int(group >> 12 & 0x3F)]
                output[o + 2] = alphabet[Int(group >> 6 & 0x3F)]
                output[o + 3] = alphabet[Int(group & 0x3F)]
                i += 3
                o += 4
            }
            switch input.count - i {
            case 1:
                let a = input[i]
                output[o] = alphabet[Int(a >> 2)]
                output[o + 1] = alphabet[Int(a << 4 & 0x3F)]
                o += 2
            case 2:
                let a = input[i]
                let b = input[i + 1]
                output[o] = alphabet[Int(a >> 2)]
                output[o + 1] = alphabet[Int((a << 4 | b >> 4) & 0x3F)]
                output[o + 2] = alphabet[Int(b << 2 & 0x3F)]
                o += 3
            default:
                break
            }
            return o
        }
    }

    private static let encodingTable: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// For each of a group's 4 positions (256 entries each), character → its 6 bits
    /// shifted to that position in the group's 24; 0xFF00_0000 marks characters outside the
    /// alphabet.
    private static let groupTable: [UInt32] = {
        var sextets = [UInt32](repeating: 0xFF00_0000, count: 256)
        for (value, character) in encodingTable.enumerated() {
            sextets[Int(character)] = UInt32(value)
        }
        return (0..<4).flatMap { position in
            sextets.map { $0 == 0xFF00_0000 ? $0 : $0 << (18 - 6 * UInt32(position)) }
        }
    }()
}
