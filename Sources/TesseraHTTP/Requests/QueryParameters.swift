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

    /// An event-id cursor (`before`, `after`), nil when absent.
    /// - Throws: 400 `invalid_request` for anything but `MS-SEQ`.
    func eventCursor(_ name: String) throws(APIError) -> EventID? {
        guard let text = uri.queryParameters[Substring(name)] else { return nil }
        guard let id = EventID(String(text)) else { throw APIError.invalidRequest("\(name) must be an event id") }
        return id
    }
}
