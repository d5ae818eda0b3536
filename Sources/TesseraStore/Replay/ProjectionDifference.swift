/// One projection key where the live state and a replay of the log disagree.
public enum ProjectionDifference: Sendable, Hashable, CustomStringConvertible {
    /// The key exists only in the live projections: nothing in the log writes it.
    case onlyLive(String, ProjectionValue)
    /// The key exists only in the replay: the live projections lost it.
    case onlyRebuilt(String, ProjectionValue)
    /// Both have the key with different contents.
    case differs(String, live: ProjectionValue, rebuilt: ProjectionValue)

    /// The most characters of one value a description shows.
    public static let valueLimit = 200

    /// The key's name without the prefix.
    public var key: String {
        switch self {
        case .onlyLive(let key, _), .onlyRebuilt(let key, _), .differs(let key, _, _): key
        }
    }

    /// One line: `only live: KEY = VALUE`, `only rebuilt: KEY = VALUE` or
    /// `differs: KEY: live VALUE, rebuilt VALUE`.
    public var description: String {
        switch self {
        case .onlyLive: "only live: \(key)\(detail)"
        case .onlyRebuilt: "only rebuilt: \(key)\(detail)"
        case .differs: "differs: \(key)\(detail)"
        }
    }

    /// What follows the key in `description`: ` = VALUE`, or `: live VALUE, rebuilt VALUE`.
    ///
    /// Values are truncated to `valueLimit` characters; of two hashes only the fields that
    /// differ are shown (`(none)` for a missing one). Password hashes are never shown, only a
    /// digest of each (`ProjectionValue.rendered`).
    public var detail: String {
        switch self {
        case .onlyLive(_, let value), .onlyRebuilt(_, let value): " = \(Self.truncated(value.rendered))"
        case .differs(_, let live, let rebuilt):
            ": live \(Self.truncated(Self.rendered(live, against: rebuilt))), "
                + "rebuilt \(Self.truncated(Self.rendered(rebuilt, against: live)))"
        }
    }

    /// `value` rendered; for two hashes, only the fields whose values differ.
    private static func rendered(_ value: ProjectionValue, against other: ProjectionValue) -> String {
        guard case .hash(let fields) = value, case .hash(let otherFields) = other else { return value.rendered }
        let mine = Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let theirs = Dictionary(otherFields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let names = Set(mine.keys).union(theirs.keys).filter { mine[$0] != theirs[$0] }.sorted()
        let shown = names.map { name in
            mine[name].map { name + ": " + ProjectionValue.renderedValue(of: .init(name, $0)) } ?? name + ": (none)"
        }
        return "hash {" + shown.joined(separator: ", ") + "}"
    }

    private static func truncated(_ text: String) -> String {
        text.count <= valueLimit ? text : String(text.prefix(valueLimit)) + "…"
    }
}
