import NIOCore
import Testing

@testable import TesseraVerifier

struct FeedFormatTests {
    @Test func theParserReassemblesEventsSplitAcrossBuffersAndLineEnds() {
        var parser = ServerSentEventParser()
        let stream = ": comment\r\nevent: set\r\nid: 5-0\r\ndata: {\"a\":\r\ndata:1}\r\n\r\nevent: heartbeat\nid: 6-0\ndata: {}\n\nevent: empty\n\n"
        var events: [ServerSentEvent] = []
        // Every split point, one byte at a time.
        for byte in stream.utf8 { events += parser.parse(ByteBuffer(bytes: [byte])) }
        #expect(events == [ServerSentEvent(name: "set", id: "5-0", data: "{\"a\":\n1}"), ServerSentEvent(name: "heartbeat", id: "6-0", data: "{}")])
    }
}
