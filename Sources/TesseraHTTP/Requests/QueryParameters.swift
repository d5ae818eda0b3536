import Hummingbird
import TesseraCore

extension Request {
    /// `limit`: 1 to 1000, 100 when absent.
    /// - Throws: 400 `invalid_request` for anything else.
    func pageLimit() throws(APIError) -> Int {
        guard let text = uri.queryParameters["limit"] else { return 100 }
        guard let limit = Int(String(text)), (1...1000).contains(limit) else {
            throw APIError.invalidRequest("limit must be an integer from 1 to 1000")
        }
        return limit
    }

    /// An event-id cursor, nil when absent.
    /// - Throws: 400 `invalid_request` for anything but `MS-SEQ`, and for a bound with nothing
    ///   beyond it (`before=0-0`, `after` at the greatest id): no page ever hands one out as
    ///   `next`, and Redis refuses it as an exclusive range end.
    func eventCursor(_ cursor: EventCursor) throws(APIError) -> EventID? {
        guard let text = uri.queryParameters[Substring(cursor.rawValue)] else { return nil }
        guard let id = EventID(String(text)) else { throw APIError.invalidRequest("\(cursor.rawValue) must be an event id") }
        guard id != cursor.edge else { throw APIError.invalidRequest("nothing is \(cursor.rawValue) \(id)") }
        return id
    }
}

/// The query parameter of an event-id cursor: the page lies before it (newest first) or after
/// it (oldest first).
enum EventCursor: String {
    case before, after

    /// The id with no event beyond it on this side.
    var edge: EventID {
        switch self {
        case .before: .zero
        case .after: EventID(milliseconds: .max, sequence: .max)
        }
    }
}
