import Foundation
import HTTPTypes
import Hummingbird
import TesseraCore
import TesseraStore

/// The `/admin/...` routes: users, roles, sessions, forced logout, disable/enable, the event
/// log, nodes and revocation receipts. Every one needs a token with role `admin`.
struct AdminRoutes {
    let node: TesseraNode
    let authenticator: Authenticator

    private struct NewUser: Decodable {
        var username: String
        var password: String
        var email: String?
        var roles: [String]?
    }

    private struct Roles: Decodable {
        var roles: [String]
    }

    func register(on router: Router<TesseraRequestContext>) {
        let admin = router.group("admin").add(middleware: RequireAdmin(authenticator: authenticator))
        admin.post("users") { request, context in
            let body = try await UserRoutes.decode(NewUser.self, from: request, context: context)
            let user = try await UserRoutes.mapAccountErrors { () async throws(AccountError) in
                try await node.accounts.register(
                    username: body.username,
                    password: Array(body.password.utf8),
                    email: body.email,
                    roles: body.roles ?? []
                )
            }
            return Response.json(UserJSON.render(user, includeCreatedAt: true), status: .created)
        }
        admin.get("users/:username") { _, context in
            Response.json(UserJSON.render(try await user(context), includeCreatedAt: true))
        }
        admin.get("users/:username/sessions") { _, context in
            let user = try await user(context)
            let sessions = try await node.store.liveSessions(ofUser: user.id, now: Timestamp.nowMilliseconds())
            return Response.json(SessionJSON.render(sessions, currentSessionID: nil))
        }
        admin.delete("sessions/:sid") { _, context in
            let sid = try context.parameters.require("sid")
            guard let session = try await node.store.session(id: sid), session.isLive(now: Timestamp.nowMilliseconds()) else {
                throw APIError.notFound("no such live session")
            }
            return try await node.answerRevocation(
                node.store.revokeSessions(userID: session.userID, scope: .one(sid), reason: "admin"),
                ifRejected: .notFound("no such live session")
            )
        }
        admin.post("users/:username/logout") { _, context in
            let user = try await user(context)
            return try await revoking(node.store.adminAction(.logout, userID: user.id, notBefore: Timestamp.nowSeconds()))
        }
        admin.post("users/:username/disable") { _, context in
            let user = try await user(context)
            return try await revoking(node.store.adminAction(.disable, userID: user.id, notBefore: Timestamp.nowSeconds()))
        }
        admin.post("users/:username/enable") { _, context in
            let user = try await user(context)
            _ = try await node.store.adminAction(.enable, userID: user.id)
            node.userProfiles.invalidate(user: user.id)
            return Response(status: .noContent)
        }
        admin.put("users/:username/roles") { request, context in
            let user = try await user(context)
            let body = try await UserRoutes.decode(Roles.self, from: request, context: context)
            let roles = try await UserRoutes.mapAccountErrors { () throws(AccountError) in try AccountRules.normalizedRoles(body.roles) }
            _ = try await node.store.adminAction(.roles, userID: user.id, roles: roles)
            node.userProfiles.invalidate(user: user.id)
            guard let updated = try await node.store.user(id: user.id) else { throw APIError.notFound("no such user") }
            return Response.json(UserJSON.render(updated, includeCreatedAt: true))
        }
        admin.get("users/:username/events") { request, context in
            let user = try await user(context)
            let limit = try Self.limit(request)
            let before = try Self.cursor(request, "before")
            let ids = try await node.store.userEventIDs(userID: user.id, before: before, limit: limit + 1)
            let page = Array(ids.prefix(limit))
            let events = try await node.store.events(withIDs: page)
            return Response.json(Self.eventsPage(events, next: ids.count > limit ? page.last : nil))
        }
        admin.get("events") { request, _ in
            let limit = try Self.limit(request)
            let after = try Self.cursor(request, "after")
            let events = try await node.store.events(after: after, limit: limit + 1)
            let page = Array(events.prefix(limit))
            return Response.json(Self.eventsPage(page, next: events.count > limit ? page.last?.id : nil))
        }
        admin.get("nodes") { _, _ in
            let now = Timestamp.nowMilliseconds()
            let head = try await node.store.head() ?? .zero
            let nodes = try await NodeRegistry.liveNodes(in: node.store, now: now)
            let entries: [JSONText.Value] = nodes.sorted { $0.id < $1.id }.map { entry in
                let lag = entry.applied >= head ? 0 : Int64(head.milliseconds) - Int64(entry.applied.milliseconds)
                return .object([
                    ("id", .string(entry.id)),
                    ("address", .string(entry.address)),
                    ("started_at", .string(Timestamp.rfc3339(milliseconds: entry.startedAt))),
                    ("applied", .string(entry.applied.description)),
                    ("lag_ms", .int(max(0, lag))),
                    ("last_seen_at", .string(Timestamp.rfc3339(milliseconds: entry.lastSeenAt))),
                ])
            }
            return Response.json(JSONText.object([("head", .string(head.description)), ("nodes", .array(entries))]))
        }
        admin.get("revocations/:id") { _, context in
            guard let id = EventID(try context.parameters.require("id")) else {
                throw APIError.invalidRequest("the id must be an event id such as 1732363200000-0")
            }
            guard try await !node.store.events(withIDs: [id]).isEmpty else { throw APIError.notFound("no such event") }
            let nodes = try await NodeRegistry.liveNodes(in: node.store, now: Timestamp.nowMilliseconds())
            let applied = nodes.filter { $0.applied >= id }.count
            return Response.json(
                JSONText.object([
                    ("id", .string(id.description)),
                    ("nodes", .int(Int64(nodes.count))),
                    ("applied_by", .int(Int64(applied))),
                    ("complete", .bool(applied == nodes.count)),
                ])
            )
        }
    }

    private func user(_ context: TesseraRequestContext) async throws -> UserRecord {
        let username = try context.parameters.require("username")
        guard let user = try await node.store.user(named: username) else { throw APIError.notFound("no such user") }
        return user
    }

    private func revoking(_ outcome: ScriptOutcome) async throws -> Response {
        try await node.answerRevocation(outcome, ifRejected: .notFound("no such user"))
    }

    static func limit(_ request: Request) throws(APIError) -> Int {
        guard let text = request.uri.queryParameters["limit"] else { return 100 }
        guard let limit = Int(String(text)), (1...1000).contains(limit) else {
            throw APIError.invalidRequest("limit must be an integer from 1 to 1000")
        }
        return limit
    }

    static func cursor(_ request: Request, _ name: String) throws(APIError) -> EventID? {
        guard let text = request.uri.queryParameters[Substring(name)] else { return nil }
        guard let id = EventID(String(text)) else { throw APIError.invalidRequest("\(name) must be an event id") }
        return id
    }

    /// The page of events; `password_hash` values are redacted (the log keeps them for replay,
    /// but an HTTP export should not hand out material for offline cracking).
    static func eventsPage(_ events: [RecordedEvent], next: EventID?) -> String {
        let rendered = events.map { event in
            event.data.isEmpty || !String(decoding: event.data, as: UTF8.self).contains("\"password_hash\"")
                ? event.jsonObject : redacted(event).jsonObject
        }
        var body = #"{"events":["# + rendered.joined(separator: ",") + "]"
        if let next { body += #","next":""# + next.description + "\"" }
        return body + "}"
    }
}

extension AdminRoutes {
    static func redacted(_ event: RecordedEvent) -> RecordedEvent {
        guard var object = try? JSONSerialization.jsonObject(with: Data(event.data)) as? [String: Any] else { return event }
        object["password_hash"] = "[redacted]"
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return event
        }
        var copy = event
        copy.data = Array(data)
        return copy
    }
}

/// Refuses every `/admin` request without a valid token carrying role `admin` (403 `insufficient_scope`).
struct RequireAdmin: RouterMiddleware {
    typealias Context = TesseraRequestContext
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let claims = try authenticator.authenticate(request)
        guard claims.hasRole("admin") else { throw APIError.insufficientScope("admin") }
        return try await next(request, context)
    }
}
