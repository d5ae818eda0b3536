/// The id of an event: its Redis stream id, `MILLISECONDS-SEQUENCE` (e.g. `1732363200000-0`).
///
/// Ids are totally ordered as the log is; the millisecond part is when Redis appended the event.
public struct EventID: Sendable, Hashable, Comparable, CustomStringConvertible, LosslessStringConvertible {
    /// Milliseconds since the Unix epoch at which the event was appended.
    public var milliseconds: UInt64
    /// Distinguishes events appended in the same millisecond.
    public var sequence: UInt64

    /// The id before every event: `0-0`.
    public static let zero = EventID(milliseconds: 0, sequence: 0)

    /// Creates an id from its parts.
    public init(milliseconds: UInt64, sequence: UInt64) {
        self.milliseconds = milliseconds
        self.sequence = sequence
    }

    /// Parses `MS-SEQ`; nil for anything else (no `*`, no bare `MS`, no signs or spaces).
    public init?(_ text: String) {
        let parts = text.utf8.split(separator: UInt8(ascii: "-"), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 2,
            let ms = Self.digits(parts[0]),
            let seq = Self.digits(parts[1])
        else { return nil }
        self.init(milliseconds: ms, sequence: seq)
    }

    private static func digits(_ bytes: Substring.UTF8View.SubSequence) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 20, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt64(String(decoding: bytes, as: UTF8.self))
    }

    public var description: String { "\(milliseconds)-\(sequence)" }

    public static func < (lhs: EventID, rhs: EventID) -> Bool {
        (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
    }
}
