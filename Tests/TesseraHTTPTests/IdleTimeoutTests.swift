import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraStore
import TesseraTestSupport
import Testing

/// A client that connects and stalls must not hold its connection forever: the server closes a
/// connection that sends no whole request within the idle timeout, and one left idle between
/// requests, while requests sent in time are answered.
@Suite(.redisServer) struct IdleTimeoutTests {
    /// What a raw TCP client reads after sending `bytes`, until the server closes the
    /// connection; nil if it is still open after `limit` (the test's guard, not a measurement).
    static func readUntilClosed(port: Int, sending bytes: String, limit: Duration = .seconds(10)) async throws -> String? {
        let (received, closed) = try await read(port: port, sending: bytes, for: limit)
        return closed ? received : nil
    }

    /// ``read(port:sending:for:)``, again (three times at most) while the server closed the
    /// connection before it answered anything: on a loaded machine the request can reach the
    /// server after the idle timeout, which is the server doing its job, not the test's subject.
    static func readAnswered(port: Int, sending bytes: String, for limit: Duration) async throws -> (received: String, closed: Bool) {
        var attempt = try await read(port: port, sending: bytes, for: limit)
        for _ in 0..<2 where attempt.closed && attempt.received.isEmpty {
            attempt = try await read(port: port, sending: bytes, for: limit)
        }
        return attempt
    }

    /// What a raw TCP client reads after sending `bytes` within `limit`, and whether the server
    /// closed the connection by then.
    static func read(port: Int, sending bytes: String, for limit: Duration) async throws -> (received: String, closed: Bool) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) {
            channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        let received = Received()
        let closed = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await channel.executeThenClose { inbound, outbound in
                        try await outbound.write(ByteBuffer(string: bytes))
                        for try await buffer in inbound { received.text.withLock { $0 += String(buffer: buffer) } }
                    }
                } catch {
                    // Closed by the server: executeThenClose closing it again, or a reset (the
                    // server closed before the request arrived).
                }
                return true
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            if !first { channel.channel.close(promise: nil) }
            return first
        }
        return (received.text.withLock { $0 }, closed)
    }

    @Test func aStalledClientIsDisconnectedAfterTheIdleTimeout() async throws {
        let test = try await TestNode.make(followsLog: false)
        try await test.productionApp { $0.idleTimeout = .milliseconds(300) }.test(.live) { client in
            let port = try #require(client.port)
            #expect(try await client.send(.get, "/healthz").status == .ok)
            // Half a request head: closed with nothing sent back.
            let halfHead = try await Self.readUntilClosed(port: port, sending: "GET /healthz HTTP/1.1\r\nHost: local")
            #expect(halfHead == "")
            // A head that promises a body that never comes.
            let halfBody = try await Self.readUntilClosed(
                port: port,
                sending:
                    "POST /token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type="
            )
            #expect(halfBody?.hasPrefix("HTTP/1.1") != true, "\(halfBody ?? "still open")")
            #expect(halfBody != nil, "still open")
            // A whole request is answered, and the connection, kept alive, is closed once idle.
            let answered = try await Self.readAnswered(port: port, sending: "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", for: .seconds(10))
            #expect(answered.closed, "still open")
            #expect(answered.received.hasPrefix("HTTP/1.1 200"), "\(answered.received)")
            // (The test client's own connection, idle all this time, has been closed too.)
        }
        await test.shutdown()
    }

    /// A response being sent is not idle: the revocation feed's stream, quiet but for its
    /// heartbeats (every 250 ms), outlives an idle timeout of 200 ms 25 times over (5 s: room
    /// for a loaded machine to write the head).
    @Test func aStreamingAnswerIsNeverCutByTheIdleTimeout() async throws {
        let test = try await TestNode.make(followsLog: false)
        let credential = FeedCredential.make()
        let issued = FeedCredentialIssued(credentialID: credential.id, name: "idle", secretHash: credential.secretHash)
        guard case .issued = try await test.node.store.run(IssueFeedCredential(issued)) else { throw TestSupportError("not issued") }
        try await test.productionApp { $0.idleTimeout = .milliseconds(200) }.test(.live) { client in
            let port = try #require(client.port)
            try await test.waitUntilFresh()
            let position = test.node.state.revocations.appliedThrough
            // A connection whose request arrives later than the idle timeout after it was
            // accepted (a loaded machine can stall the test's own task that long) is rightly
            // closed unanswered; only a stream that started counts, so such a try is repeated.
            var (received, closed) = ("", true)
            for _ in 0..<5 where closed && received.isEmpty {
                (received, closed) = try await Self.readAnswered(
                    port: port,
                    sending:
                        "GET /revocations/events?after=\(position) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(credential.text)\r\n\r\n",
                    for: .seconds(5)
                )
            }
            #expect(!closed, "the stream was cut: \(received)")
            #expect(received.hasPrefix("HTTP/1.1 200"), "\(received)")
        }
        await test.shutdown()
    }
}

/// The bytes a raw connection has read so far, shared with the task that reads them.
private final class Received: Sendable {
    let text = Mutex("")
}
