import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraStore
import TesseraTestSupport
import Testing

/// Revocation receipts: every revoking call names the last event it appended, and
/// `GET /admin/revocations/{id}` says how many live nodes have applied it.
@Suite(.redisServer) struct ReceiptTests {
    static let receiptHeader = HTTPField.Name("Tessera-Revocation-Id")!

    @Test func aReceiptStaysIncompleteWhileALiveNodeLagsAndCompletesOnceItHasApplied() async throws {
        let a = try await TestNode.make()
        // B is alive in the registry but its view has applied nothing: a node that lags.
        let b = try await TestNode.make(keyPrefix: a.node.store.keyPrefix, followsLog: false)
        try await b.node.registry.beat()
        try await a.app.test(.router) { client in
            let admin = try await a.adminToken(client: client)
            try await client.registerUser("receipt")
            let access = try #require(try await client.login("receipt").string("access_token"))
            let logout = try await client.send(.post, "/logout", headers: bearer(access))
            let id = try #require(logout.headers[Self.receiptHeader])

            func receipt() async throws -> [String: Any] {
                try await client.send(.get, "/admin/revocations/\(id)", headers: bearer(admin)).json
            }
            // A publishes its applied position about once a second; B keeps beating, still behind.
            var partial: [String: Any] = [:]
            let applied = try await waitUntil(seconds: 5) {
                try await b.node.registry.beat()
                partial = try await receipt()
                return partial["applied_by"] as? Int == 1
            }
            #expect(applied != nil, "A never reported the revocation applied: \(partial)")
            #expect(partial["id"] as? String == id)
            #expect(partial["nodes"] as? Int == 2)
            #expect(partial["complete"] as? Bool == false, "B has not applied it")

            // B catches up (loads the view, as its follower does at start) and says so.
            try await b.node.follower.loadSnapshot()
            try await b.node.registry.beat()
            let complete = try await receipt()
            #expect(complete["nodes"] as? Int == 2)
            #expect(complete["applied_by"] as? Int == 2)
            #expect(complete["complete"] as? Bool == true)
        }
        await b.shutdown()
        await a.shutdown()
    }

    /// Checks that `answer` carries a receipt naming the newest event of the log, which has
    /// `type` (and `reason` for a `SessionRevoked`); returns the events the call appended.
    @discardableResult
    static func expectReceipt(
        _ answer: Answer,
        after before: EventID?,
        in store: EventStore,
        type: EventType,
        reason: SessionRevoked.Reason? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [RecordedEvent] {
        let header = try #require(answer.headers[receiptHeader], "no receipt: \(answer.status) \(answer.body)", sourceLocation: sourceLocation)
        let id = try #require(EventID(header), "not an event id: \(header)", sourceLocation: sourceLocation)
        let appended = try await store.events(after: before, limit: 100)
        #expect(appended.last?.id == id, "the receipt names the last event the call appended", sourceLocation: sourceLocation)
        #expect(appended.last?.type == type, sourceLocation: sourceLocation)
        if let reason {
            #expect(try appended.last?.decode(as: SessionRevoked.self)?.reason == reason, sourceLocation: sourceLocation)
        }
        return appended
    }

    @Test func everyRevokingCallNamesTheLastEventItAppended() async throws {
        let test = try await TestNode.make()
        let store = test.node.store
        try await test.app.test(.router) { client in
            let admin = try await test.adminToken(client: client)
            try await client.registerUser("holder")
            func login() async throws -> (access: String, refresh: String) {
                let answer = try await client.login("holder")
                return (try #require(answer.string("access_token")), try #require(answer.string("refresh_token")))
            }

            // logout/all: one SessionRevoked per live session, the receipt names the last.
            let all = [try await login(), try await login(), try await login()]
            var head = try await store.head()
            let logoutAll = try await client.send(.post, "/logout/all", headers: bearer(all[0].access))
            #expect(logoutAll.status == .noContent)
            let allEvents = try await Self.expectReceipt(logoutAll, after: head, in: store, type: .sessionRevoked, reason: .logoutAll)
            #expect(allEvents.count == 3)

            // DELETE /users/me/sessions/{sid}
            let keeper = try await login()
            _ = try await login()
            let sessions = try #require(
                try await client.send(.get, "/users/me/sessions", headers: bearer(keeper.access)).json["sessions"] as? [[String: Any]]
            )
            let other = try #require(sessions.first { $0["current"] as? Bool == false }?["sid"] as? String)
            head = try await store.head()
            let deleted = try await client.send(.delete, "/users/me/sessions/\(other)", headers: bearer(keeper.access))
            #expect(deleted.status == .noContent)
            try await Self.expectReceipt(deleted, after: head, in: store, type: .sessionRevoked, reason: .logout)

            // /revoke of a refresh token: its session.
            let byRefresh = try await login()
            head = try await store.head()
            let revokedRefresh = try await client.postForm("/revoke", [("token", byRefresh.refresh), ("token_type_hint", "refresh_token")])
            #expect(revokedRefresh.status == .ok)
            try await Self.expectReceipt(revokedRefresh, after: head, in: store, type: .sessionRevoked, reason: .revocationEndpoint)
            let again = try await client.postForm("/revoke", [("token", byRefresh.refresh)])
            #expect(again.status == .ok)
            #expect(again.headers[Self.receiptHeader] == nil, "a session already revoked: nothing appended, no receipt")

            // /revoke of an access token.
            head = try await store.head()
            let revokedAccess = try await client.postForm("/revoke", [("token", keeper.access)])
            try await Self.expectReceipt(revokedAccess, after: head, in: store, type: .accessTokenRevoked)

            // Password change: PasswordChanged, then the other sessions.
            let caller = try await login()
            _ = try await login()
            head = try await store.head()
            let change = try await client.postJSON(
                "/users/me/password",
                #"{"current_password":"correct horse battery","new_password":"another horse battery"}"#,
                headers: bearer(caller.access)
            )
            #expect(change.status == .noContent, "\(change.body)")
            let changeEvents = try await Self.expectReceipt(change, after: head, in: store, type: .sessionRevoked, reason: .passwordChange)
            #expect(changeEvents.first?.type == .passwordChanged)

            // Admin: one session, forced logout, disable.
            _ = try await client.login("holder", password: "another horse battery")
            let listed = try #require(
                try await client.send(.get, "/admin/users/holder/sessions", headers: bearer(admin)).json["sessions"] as? [[String: Any]]
            )
            let sid = try #require(listed.first?["sid"] as? String)
            head = try await store.head()
            let ended = try await client.send(.delete, "/admin/sessions/\(sid)", headers: bearer(admin))
            #expect(ended.status == .noContent)
            try await Self.expectReceipt(ended, after: head, in: store, type: .sessionRevoked, reason: .admin)

            _ = try await client.login("holder", password: "another horse battery")
            head = try await store.head()
            let forced = try await client.send(.post, "/admin/users/holder/logout", headers: bearer(admin))
            #expect(forced.status == .noContent)
            let forcedEvents = try await Self.expectReceipt(forced, after: head, in: store, type: .sessionRevoked, reason: .forcedLogout)
            #expect(forcedEvents.first?.type == .userLoggedOutEverywhere)
            // With no live session left, the receipt is the not-before event itself.
            head = try await store.head()
            let forcedAgain = try await client.send(.post, "/admin/users/holder/logout", headers: bearer(admin))
            try await Self.expectReceipt(forcedAgain, after: head, in: store, type: .userLoggedOutEverywhere)

            _ = try await client.login("holder", password: "another horse battery")
            head = try await store.head()
            let disabled = try await client.send(.post, "/admin/users/holder/disable", headers: bearer(admin))
            #expect(disabled.status == .noContent)
            let disableEvents = try await Self.expectReceipt(disabled, after: head, in: store, type: .sessionRevoked, reason: .userDisabled)
            #expect(disableEvents.first?.type == .userDisabled)

            // What revokes nothing sends no receipt.
            let enabled = try await client.send(.post, "/admin/users/holder/enable", headers: bearer(admin))
            #expect(enabled.status == .noContent)
            #expect(enabled.headers[Self.receiptHeader] == nil)
        }
        await test.shutdown()
    }
}
