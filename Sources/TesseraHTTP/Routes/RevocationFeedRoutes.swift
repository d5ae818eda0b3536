import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TesseraCore
import TesseraStore

/// The revocation feed for API nodes that hold the revocation view themselves:
/// `GET /revocations/snapshot` (every live revocation and the log position it reflects) and
/// `GET /revocations/events` (Server-Sent Events from a position on, with heartbeats).
///
/// Both take an API node's feed credential as `Authorization: Bearer ID.SECRET`. Events come
/// from the node's follower in log order (never the node's own writes ahead of it); a stream
/// resumed after an id older than the node keeps gets a `reset` event: load the snapshot
/// again. Heartbeats go out only while the node itself is fresh, so a client that stops
/// getting them fails closed. A revoked credential's open streams are cut.
struct RevocationFeedRoutes {
    let store: EventStore
    let state: NodeState
    let issuer: String
    /// How often a stream sends a heartbeat when nothing else happens: well inside any lag bound.
    var heartbeatInterval: Duration = .milliseconds(250)

    func register(on router: Router<TesseraRequestContext>) {
        router.get("/revocations/snapshot") { request, _ in
            _ = try await authenticate(request)
            guard state.isFresh() else { throw TokenCheckFailure.stale }
            return try snapshot()
        }
        router.get("/revocations/events") { request, context in
            let credential = try await authenticate(request)
            guard state.isFresh() else { throw TokenCheckFailure.stale }
            guard let resume = request.headers[.lastEventID] ?? request.uri.queryParameters["after"].map(String.init) else {
                throw APIError.invalidRequest("Last-Event-ID (or the after query parameter) is required: the position of a snapshot")
            }
            guard let after = EventID(resume) else { throw APIError.invalidRequest("Last-Event-ID is not an event id") }
            let headers: HTTPFields = [
                .contentType: "text/event-stream",
                .cacheControl: "no-store",
                // nginx would otherwise buffer the stream.
                .accelBuffering: "no",
            ]
            return Response(
                status: .ok,
                headers: headers,
                body: ResponseBody { writer in
                    try await stream(after: after, credentialID: credential.id, to: &writer, logger: context.logger)
                    try await writer.finish(nil)
                }
            )
        }
    }

    /// The credential of `Authorization: Bearer ID.SECRET`, checked against its stored hash.
    private func authenticate(_ request: Request) async throws -> FeedCredential {
        guard let token = try BearerAuthenticator.bearerToken(in: request) else { throw APIError.missingToken }
        guard let credential = FeedCredential(token), let stored = try await store.feedCredentialHash(id: credential.id),
            credential.matches(storedHash: stored)
        else { throw APIError.invalidToken("unknown or revoked feed credential") }
        return credential
    }

    private func snapshot() throws -> Response {
        // The position first: every revocation up to it is in the view when the view is read.
        let position = state.appliedPosition
        let now = Timestamp.nowMilliseconds()
        var sets: [String: RevocationFeed.SecurityEvent] = [:]
        for entry in state.revocations.entries() where entry.until > now {
            let id = RevocationFeed.snapshotID(for: entry)
            sets[id] = RevocationFeed.securityEvent(for: entry, issuer: issuer, jti: id, issuedAt: now / 1000)
        }
        let body = RevocationFeed.Snapshot(position: position.description, time: now, sets: sets)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: try Self.encoder.encode(body)))
        )
    }

    private func stream(after start: EventID, credentialID: String, to writer: inout any ResponseBodyWriter, logger: Logger) async throws {
        let journal = state.journal
        var cursor = start
        var lastHeartbeat = ContinuousClock.now - heartbeatInterval
        let changes = journal.changes(tickingEvery: heartbeatInterval)
        for await _ in changes.cancelOnGracefulShutdown() {
            if journal.isRevoked(credentialID: credentialID) {
                logger.info("revocation feed cut: its credential was revoked", metadata: ["tessera.feed.credential": "\(credentialID)"])
                return
            }
            var buffer = ByteBuffer()
            var position = cursor
            while true {
                switch journal.read(after: cursor, limit: 500) {
                case .expired:
                    buffer.writeString("event: reset\ndata: {\"reason\":\"position_expired\"}\n\n")
                    try await writer.write(buffer)
                    return
                case .records(let records, let reached):
                    for record in records {
                        let set = RevocationFeed.securityEvent(
                            for: record.entry,
                            issuer: issuer,
                            jti: record.id.description,
                            issuedAt: Int64(record.id.milliseconds / 1000)
                        )
                        buffer.writeString("event: set\nid: \(record.id)\ndata: ")
                        buffer.writeBytes(try Self.encoder.encode(set))
                        buffer.writeString("\n\n")
                    }
                    cursor = records.last?.id ?? cursor
                    position = reached
                    if records.count < 500 { break }
                    continue
                }
                break
            }
            let now = ContinuousClock.now
            if state.isFresh(at: now), buffer.readableBytes > 0 || now - lastHeartbeat >= heartbeatInterval {
                cursor = max(cursor, position)
                let heartbeat = RevocationFeed.Heartbeat(
                    position: cursor.description,
                    time: Timestamp.nowMilliseconds(),
                    lagMilliseconds: Self.milliseconds(state.lag(at: now) ?? .zero)
                )
                buffer.writeString("event: heartbeat\nid: \(cursor)\ndata: ")
                buffer.writeBytes(try Self.encoder.encode(heartbeat))
                buffer.writeString("\n\n")
                lastHeartbeat = now
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension HTTPField.Name {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    static let accelBuffering = HTTPField.Name("X-Accel-Buffering")!
}
