/// The member names seen so far in one JSON object, to reject duplicates.
///
/// Known members are bits; unknown ones go to a set that allocates only when the object
/// has unknown members at all.
struct MemberNames {
    private var known: UInt32 = 0
    private var unknown: Set<[UInt8]> = []

    /// Records the known member numbered `index` (< 32); `false` if it was already seen.
    mutating func insert(known index: Int) -> Bool {
        let bit: UInt32 = 1 << UInt32(index)
        defer { known |= bit }
        return known & bit == 0
    }

    /// Records an unknown member name; `false` if it was already seen.
    mutating func insert(unknown name: UnsafeBufferPointer<UInt8>) -> Bool {
        unknown.insert(Array(name)).inserted
    }
}
