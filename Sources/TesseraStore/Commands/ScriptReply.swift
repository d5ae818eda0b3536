import RedisClient
public import TesseraCore

/// The reply of an appending script, decoded in this one place: the events it appended (in log
/// order) with named values, or the precondition it found broken.
public enum ScriptReply: Sendable, Equatable {
    /// The script appended `events` (possibly none) and returned `values`.
    case appended(events: [RecordedEvent], values: [String: String])
    /// A precondition failed; nothing was written.
    case rejected(code: String, detail: String)

    /// Decodes `{'ok', {{id, type, v, data}, ...}, {name, value, ...}}` or `{'rejected', code, detail}`.
    ///
    /// Error messages describe the shape only: a reply may hold a password hash, which must
    /// never reach a log.
    init(decoding reply: RedisValue, script: ScriptName) throws(StoreError) {
        let malformed = StoreError(.corruptData, "\(script.rawValue).lua returned a reply of unexpected shape")
        guard let parts = reply.array, let tag = parts.first?.string else { throw malformed }
        switch tag {
        case "ok" where parts.count == 3:
            guard let appended = parts[1].array else { throw malformed }
            var events: [RecordedEvent] = []
            events.reserveCapacity(appended.count)
            for entry in appended {
                guard let fields = entry.array, fields.count == 4,
                    let idText = fields[0].string, let id = EventID(idText),
                    let type = fields[1].string,
                    let version = fields[2].int,
                    let data = fields[3].bytes
                else { throw malformed }
                events.append(RecordedEvent(id: id, type: EventType(type), version: Int(version), data: data))
            }
            self = .appended(events: events, values: EventStore.fields(of: parts[2]))
        case "rejected" where parts.count == 3:
            guard let code = parts[1].string, let detail = parts[2].string else { throw malformed }
            self = .rejected(code: code, detail: detail)
        default:
            throw malformed
        }
    }

    /// The appended events, or nil for a rejection.
    public var events: [RecordedEvent]? {
        if case .appended(let events, _) = self { return events }
        return nil
    }

    /// A description for error messages: the outcome and the value names, never values.
    var summary: String {
        switch self {
        case .appended(let events, let values):
            "\(events.count) events with values [\(values.keys.sorted().joined(separator: ", "))]"
        case .rejected(let code, _):
            "a rejection '\(code)'"
        }
    }
}
