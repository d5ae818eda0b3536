public import Foundation

/// The data of one kind of event: a Codable value with a type name and a schema version.
///
/// Encoded once, deterministically (sorted keys; payloads spell their keys in snake_case through
/// `CodingKeys`), by `EventEncoding`; the bytes that
/// land in the log are the bytes the Lua scripts decode to update the projections.
public protocol EventPayload: Codable, Sendable {
    /// The type name stored in the log.
    static var type: EventType { get }
    /// The schema version of this payload; bump it when the meaning of a field changes.
    static var version: Int { get }
}

/// An event about to be appended: type, version and the encoded data.
public struct NewEvent: Sendable, Hashable {
    /// The event's type.
    public var type: EventType
    /// The payload's schema version.
    public var version: Int
    /// The payload as deterministic JSON (sorted keys).
    public var data: [UInt8]

    /// Encodes a typed payload.
    /// - Throws: `EncodingError` only if the payload holds a non-finite number.
    public init<Payload: EventPayload>(_ payload: Payload) throws {
        self.type = Payload.type
        self.version = Payload.version
        self.data = try EventEncoding.encode(payload)
    }

    /// Wraps already-encoded data (used by replay and tests).
    public init(type: EventType, version: Int, data: [UInt8]) {
        self.type = type
        self.version = version
        self.data = data
    }
}

/// An event as read back from the log.
public struct RecordedEvent: Sendable, Hashable {
    /// The stream id; its millisecond part is when the event was appended.
    public var id: EventID
    /// The event's type.
    public var type: EventType
    /// The payload's schema version.
    public var version: Int
    /// The payload as stored: JSON with sorted keys.
    public var data: [UInt8]

    /// Creates a recorded event.
    public init(id: EventID, type: EventType, version: Int, data: [UInt8]) {
        self.id = id
        self.type = type
        self.version = version
        self.data = data
    }

    /// When the event was appended (the stream id's milliseconds).
    public var appendedAt: Date {
        Date(timeIntervalSince1970: Double(id.milliseconds) / 1000)
    }

    /// Decodes the payload as `Payload`; nil when the type differs.
    /// - Throws: `DecodingError` when the stored data does not match the payload's shape.
    public func decode<Payload: EventPayload>(as payload: Payload.Type) throws -> Payload? {
        guard type == Payload.type else { return nil }
        return try EventEncoding.decode(Payload.self, from: data)
    }
}

/// The one encoding of event payloads: JSON, sorted keys, no escaped slashes.
public enum EventEncoding {
    /// Encodes deterministically: the same value gives the same bytes in every process.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// Decodes what `encode` wrote.
    public static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        let decoder = JSONDecoder()
        return try decoder.decode(Value.self, from: Data(bytes))
    }
}
