import Logging
import RedisClient
import TesseraAuth
import TesseraCore
import TesseraStoreTestSupport
import TesseraTestSupport
import Testing

@testable import TesseraStore

/// State stays bounded: expired sessions leave the user's list, revoke-all touches live
/// sessions only, and the keys of sessions, refresh tokens and old revocations expire.
@Suite(.redisServer) struct BoundedStateTests {
    let logger = Logger(label: "test")

    func makeStore() throws -> EventStore {
        try RedisServer.suite.makeStore(keyPrefix: RedisServer.uniquePrefix("bounded"), logger: logger)
    }

    func login(_ userID: String, in store: EventStore, lifetime: Duration) async throws -> LoginSucceeded {
        let now = Timestamp.nowMilliseconds()
        let login = LoginSucceeded(
            userID: userID,
            username: "b",
            sessionID: OpaqueToken.makeID(),
            refreshHash: OpaqueToken.makeID(),
            tokenID: OpaqueToken.makeID(),
            accessExpiresAt: now + 60_000,
            expiresAt: now + lifetime.wholeMilliseconds,
            ip: "",
            userAgent: "",
            scope: nil
        )
        guard
            case .opened = try await store.run(
                OpenSession(login: login, verifiedHash: "$y$j9T$salt$hash", rehash: nil, nowMilliseconds: now, settling: nil)
            )
        else { throw TestSupportError("refused") }
        return login
    }

    @Test func revokingEverySessionTouchesOnlyLiveOnesAndExpiredOnesLeaveTheList() async throws {
        let store = try makeStore()
        defer { Task { await store.pool.shutdown() } }
        let userID = OpaqueToken.makeID()
        let payload = UserRegistered(userID: userID, username: "b", email: nil, passwordHash: "$y$j9T$salt$hash", roles: [])
        _ = try await store.run(RegisterUser(payload))
        var expired: [LoginSucceeded] = []
        for _ in 0..<20 { expired.append(try await login(userID, in: store, lifetime: .milliseconds(300))) }
        try await Task.sleep(for: .milliseconds(400))
        let live = try await login(userID, in: store, lifetime: .seconds(600))

        // The list holds the live session only; the expired sessions' keys are gone.
        let listed = try await store.pool.send("ZRANGE", store.key("sessions", userID), "0", "-1").array?.compactMap(\.string)
        #expect(listed == [live.sessionID])
        for login in expired {
            #expect(try await store.pool.send("EXISTS", store.key("session", login.sessionID)) == .integer(0))
            #expect(try await store.pool.send("EXISTS", store.key("refresh", login.refreshHash)) == .integer(0))
        }
        #expect(try await store.pool.send("PTTL", store.key("session", live.sessionID)).int ?? -1 > 0)
        #expect(try await store.pool.send("PTTL", store.key("refresh", live.refreshHash)).int ?? -1 > 0)

        // Logout everywhere writes one event, for the one live session.
        guard case .revoked(let events) = try await store.run(RevokeSessions(userID: userID, scope: .all, reason: .logoutAll)) else {
            throw TestSupportError("not revoked")
        }
        #expect(try events.map { try #require(try $0.decode(as: SessionRevoked.self)).sessionID } == [live.sessionID])
        #expect(try await ProjectionReplay(store: store).check().isMatch, "trimming is part of the projection: replay agrees")
    }

    @Test func revocationEntriesLongPastTheirExpiryLeaveTheRevocationLists() async throws {
        let store = try makeStore()
        defer { Task { await store.pool.shutdown() } }
        let now = Timestamp.nowMilliseconds()
        let old = AccessTokenRevoked(userID: "u", tokenID: OpaqueToken.makeID(), sessionID: "s", expiresAt: now - 3_600_000)
        let fresh = AccessTokenRevoked(userID: "u", tokenID: OpaqueToken.makeID(), sessionID: "s", expiresAt: now + 3_600_000)
        _ = try await store.run(RevokeAccessToken(old))
        _ = try await store.run(RevokeAccessToken(fresh))
        let listed = try await store.pool.send("ZRANGE", store.key("revoked-tokens"), "0", "-1").array?.compactMap(\.string)
        #expect(listed == [fresh.tokenID])
    }
}
