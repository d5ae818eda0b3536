import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import TesseraCore
import TesseraStore

/// Holds a revocation view current from a Tessera node's revocation feed: the snapshot, then
/// the event stream from its position, resumed with `Last-Event-ID` after a broken connection
/// and reloaded after a `reset`.
///
/// Heartbeats are what keep the view fresh: each says the node had applied the log through its
/// position, `lag_ms` ago. The view is caught up as of then; without heartbeats it goes stale
/// within the lag bound and every check fails closed.
struct RevocationFeedClient {
    let baseURL: String
    let credential: String
    let http: HTTPClient
    let state: NodeState
    let logger: Logger

    /// Follows the feed until the task is cancelled.
    func run() async throws {
        var resume: EventID?
        var pause = 50
        while !Task.isCancelled {
            do {
                if resume == nil { resume = try await loadSnapshot() }
                resume = try await stream(after: resume!)
                pause = 50
            } catch is CancellationError {
                throw CancellationError()
            } catch let error as FeedError where error.reloads {
                logger.warning("revocation feed: \(error.message)", metadata: ["tessera.feed.url": "\(baseURL)"])
                resume = nil
            } catch {
                logger.warning("revocation feed failed; retrying", metadata: ["tessera.feed.url": "\(baseURL)", "tessera.error": "\(error)"])
                try await Task.sleep(for: .milliseconds(pause))
                pause = min(pause * 2, 1000)
            }
        }
        throw CancellationError()
    }

    private func request(_ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.headers.add(name: "Authorization", value: "Bearer " + credential)
        return request
    }

    /// Loads `GET /revocations/snapshot` into the view; returns its position.
    private func loadSnapshot() async throws -> EventID {
        let response = try await http.execute(request("/revocations/snapshot"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 256 << 20)
        guard response.status == .ok else { throw FeedError("the snapshot answered \(response.status.code)") }
        let snapshot = try JSONDecoder().decode(RevocationFeed.Snapshot.self, from: body)
        guard let position = EventID(snapshot.position) else { throw FeedError("the snapshot's position is not an event id") }
        var sessions: [String: Int64] = [:]
        var tokens: [String: Int64] = [:]
        var notBefore: [String: Int64] = [:]
        var notBeforeUntil: [String: Int64] = [:]
        for set in snapshot.sets.values {
            switch RevocationFeed.entry(in: set) {
            case .session(let id, let until): sessions[id] = max(sessions[id] ?? .min, until)
            case .token(let id, let until): tokens[id] = max(tokens[id] ?? .min, until)
            case .notBefore(let user, let seconds, let until):
                notBefore[user] = max(notBefore[user] ?? .min, seconds)
                notBeforeUntil[user] = max(notBeforeUntil[user] ?? .min, until)
            case nil: continue
            }
        }
        // The node answers a snapshot only while it is fresh itself, so the view is caught up as of now.
        state.load(
            RevocationSnapshot(position: position, sessions: sessions, tokens: tokens, notBefore: notBefore, notBeforeUntil: notBeforeUntil)
        )
        logger.info("revocation view loaded from the feed", metadata: ["tessera.revocations.count": "\(state.revocations.count)"])
        return position
    }

    /// Streams `GET /revocations/events` after `start`; returns the last id applied when the
    /// stream ends. Throws a reloading `FeedError` after a `reset`.
    private func stream(after start: EventID) async throws -> EventID {
        var request = request("/revocations/events")
        request.headers.add(name: "Last-Event-ID", value: start.description)
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await http.execute(request, timeout: .seconds(10))
        guard response.status == .ok else {
            _ = try? await response.body.collect(upTo: 1 << 16)
            throw FeedError("the event stream answered \(response.status.code)")
        }
        var parser = ServerSentEventParser()
        var last = start
        let decoder = JSONDecoder()
        for try await buffer in response.body {
            var entries: [RevocationView.Entry] = []
            for event in parser.parse(buffer) {
                switch event.name {
                case "set":
                    guard let id = event.id.flatMap(EventID.init) else { continue }
                    if let set = try? decoder.decode(RevocationFeed.SecurityEvent.self, from: Data(event.data.utf8)),
                        let entry = RevocationFeed.entry(in: set)
                    {
                        entries.append(entry)
                    }
                    last = max(last, id)
                case "heartbeat":
                    let heartbeat = try decoder.decode(RevocationFeed.Heartbeat.self, from: Data(event.data.utf8))
                    guard let position = EventID(heartbeat.position) else { continue }
                    state.applyFromFeed(entries, through: max(last, position))
                    entries.removeAll()
                    last = max(last, position)
                    state.markCaughtUp(at: .now - .milliseconds(max(0, heartbeat.lagMilliseconds)))
                case "reset":
                    state.applyFromFeed(entries, through: last)
                    throw FeedError("the node no longer holds our position; reloading the snapshot", reloads: true)
                default:
                    continue
                }
            }
            if !entries.isEmpty { state.applyFromFeed(entries, through: last) }
        }
        return last
    }
}

/// A feed answer that cannot be used.
struct FeedError: Error, CustomStringConvertible {
    let message: String
    /// Whether the snapshot must be loaded again (rather than the stream resumed).
    let reloads: Bool

    init(_ message: String, reloads: Bool = false) {
        self.message = message
        self.reloads = reloads
    }

    var description: String { message }
}
