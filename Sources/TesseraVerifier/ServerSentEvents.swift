import NIOCore

/// One Server-Sent Event: its `event` name (default `message`), `id` and `data` lines joined.
struct ServerSentEvent: Sendable, Equatable {
    var name = "message"
    var id: String?
    var data = ""
}

/// Splits a `text/event-stream` body into events as its bytes arrive, across buffer boundaries.
///
/// Handles `\n`, `\r\n` and `\r` line ends, comments (`:` lines), and fields without a space
/// after the colon. An event is dispatched at its blank line; one without data is skipped.
struct ServerSentEventParser {
    private var line: [UInt8] = []
    private var event = ServerSentEvent()
    private var hasData = false
    private var lastWasCR = false

    /// The events completed by `buffer`.
    mutating func parse(_ buffer: ByteBuffer) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        buffer.withUnsafeReadableBytes { bytes in
            for byte in bytes {
                if byte == UInt8(ascii: "\n"), lastWasCR {
                    lastWasCR = false
                    continue
                }
                lastWasCR = byte == UInt8(ascii: "\r")
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    if let completed = endLine() { events.append(completed) }
                } else {
                    line.append(byte)
                }
            }
        }
        return events
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else {
            defer {
                event = ServerSentEvent()
                hasData = false
            }
            return hasData ? event : nil
        }
        guard line[0] != UInt8(ascii: ":") else { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let field = String(decoding: line[..<colon], as: UTF8.self)
        var valueStart = colon < line.endIndex ? colon + 1 : colon
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = String(decoding: line[valueStart...], as: UTF8.self)
        switch field {
        case "event": event.name = value
        case "id": event.id = value
        case "data":
            event.data = hasData ? event.data + "\n" + value : value
            hasData = true
        default: break
        }
        return nil
    }
}
