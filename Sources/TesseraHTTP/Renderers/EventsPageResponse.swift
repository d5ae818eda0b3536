import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TesseraAuth
import TesseraCore

/// `{"events":[{"id","type","at","data"}], "next"?}`: each event's stored data embedded as it is
/// (through the one JSON writer), with `password_hash` values redacted — the log keeps hashes
/// for replay, but an HTTP export should not hand out material for offline cracking.
struct EventsPageResponse: ResponseGenerator {
    var page: EventPage

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = JSONObjectWriter(capacity: 256 * page.events.count + 32)
        body.addRawArray("events", page.events.map { Array(Self.redacted($0).jsonObject.utf8) })
        if let next = page.next { body.add("next", next.description) }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body.finish()))
        )
    }

    static func redacted(_ event: RecordedEvent) -> RecordedEvent {
        guard String(decoding: event.data, as: UTF8.self).contains("\"password_hash\""),
            var object = try? JSONSerialization.jsonObject(with: Data(event.data)) as? [String: Any]
        else { return event }
        object["password_hash"] = "[redacted]"
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return event
        }
        var copy = event
        copy.data = Array(data)
        return copy
    }
}
