import TesseraCore

/// The content of one projection key, read by its type, in a canonical order.
///
/// Two values are equal exactly when the keys hold the same data: hash fields and set members
/// are sorted, sorted sets and streams keep Redis's own order (score then member; id).
public enum ProjectionValue: Sendable, Hashable {
    /// A string key.
    case string(String)
    /// A hash: its fields sorted by name.
    case hash([Field])
    /// A set: its members sorted.
    case set([String])
    /// A sorted set: members with their scores as Redis prints them, in Redis's order.
    case sortedSet([Field])
    /// A list, in order.
    case list([String])
    /// A stream: each entry's id and fields.
    case stream([StreamEntry])

    /// A name and a value: a hash field, or a sorted-set member and its score.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String

        /// Creates a field.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One stream entry.
    public struct StreamEntry: Sendable, Hashable {
        public var id: String
        public var fields: [Field]

        /// Creates an entry.
        public init(id: String, fields: [Field]) {
            self.id = id
            self.fields = fields
        }
    }

    /// The value for people, with every field named `password_hash` replaced by a digest.
    ///
    /// The digest (`<sha256:` and 12 hex digits of the SHA-256 of the stored hash `>`) tells
    /// two hashes apart without printing either: password hashes never reach a terminal or a log.
    public var rendered: String {
        switch self {
        case .string(let text): Self.quoted(text)
        case .hash(let fields): "hash " + Self.render(fields)
        case .set(let members): "set [" + members.map(Self.quoted).joined(separator: ", ") + "]"
        case .sortedSet(let members): "zset [" + members.map { Self.quoted($0.name) + ": " + $0.value }.joined(separator: ", ") + "]"
        case .list(let items): "list [" + items.map(Self.quoted).joined(separator: ", ") + "]"
        case .stream(let entries): "stream [" + entries.map { $0.id + " " + Self.render($0.fields) }.joined(separator: ", ") + "]"
        }
    }

    /// `{name: "value", ...}` with password hashes digested.
    static func render(_ fields: [Field]) -> String {
        "{" + fields.map { $0.name + ": " + renderedValue(of: $0) }.joined(separator: ", ") + "}"
    }

    /// A field's value for people: quoted, or digested when it is a password hash.
    static func renderedValue(of field: Field) -> String {
        guard field.name == "password_hash" else { return quoted(field.value) }
        return "<sha256:" + OpaqueToken.sha256Hex(field.value).prefix(12) + ">"
    }

    /// A JSON-style quoted string: `"` and `\` escaped, control characters as `\u00XX`.
    static func quoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\u{0}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
