/// A 16-byte id in its canonical 22-character base64url form, the form
/// ``OpaqueToken/makeID()`` gives every `jti`, `sid` and user id, held as two words.
///
/// It needs no heap storage and hashes as two integers, which is what keeps the revocation
/// view small and the token check free of allocations. Only the canonical form converts
/// (base64url is strict, so no two strings give the same id); an id in any other form has
/// no `OpaqueID` and is handled as text by ``ClaimID``.
public struct OpaqueID: Hashable, Sendable, CustomStringConvertible {
    /// The 16 bytes in memory order.
    private let words: (UInt64, UInt64)

    /// The id spelled by `utf8`, or `nil` when it is not 22 characters of canonical base64url.
    init?(utf8: UnsafeBufferPointer<UInt8>) {
        guard utf8.count == 22 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        let decoded = withUnsafeMutableBytes(of: &words) { raw in
            Base64URL.decode(utf8, into: raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard decoded == 16 else { return nil }
        self.words = words
    }

    /// The id spelled by `text`, or `nil` when it is not 22 characters of canonical base64url.
    public init?(_ text: some StringProtocol) {
        let utf8 = text.utf8
        guard utf8.count == 22 else { return nil }
        guard let id = utf8.withContiguousStorageIfAvailable({ OpaqueID(utf8: $0) }) ?? Array(utf8).withUnsafeBufferPointer({ OpaqueID(utf8: $0) })
        else { return nil }
        self = id
    }

    /// The 22-character base64url form.
    public var description: String {
        withUnsafeBytes(of: words) { Base64URL.encode($0) }
    }

    public static func == (lhs: OpaqueID, rhs: OpaqueID) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
    }
}

/// An id claim (`sub`, `jti`, `sid`) or an id in an event: an ``OpaqueID`` when it has the
/// canonical form, else its text. Every string has exactly one `ClaimID`, so equal strings
/// give equal values.
enum ClaimID: Hashable, Sendable {
    case compact(OpaqueID)
    case text(String)

    init(_ string: String) {
        if let id = OpaqueID(string) {
            self = .compact(id)
        } else {
            self = .text(string)
        }
    }

    var string: String {
        switch self {
        case .compact(let id): id.description
        case .text(let text): text
        }
    }
}
