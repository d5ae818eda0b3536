/// A reason word carried in an event's data (`SessionRevoked.reason`, `LoginFailed.reason`),
/// stored as its snake_case text. Each event type nests its own set as static members.
public protocol EventReason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible
where RawValue == String {
    init(rawValue: String)
}

extension EventReason {
    public init(from decoder: any Decoder) throws { self.init(rawValue: try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }
}
