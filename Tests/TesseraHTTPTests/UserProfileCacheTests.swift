import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TesseraCore
import TesseraStore
import TesseraTestSupport
import Testing

@testable import TesseraHTTP

/// `GET /users/me` answers from a per-node cache: it must never show a user as they were before
/// a change that the node's revocation view has already seen.
@Suite(.redisServer) struct UserProfileCacheTests {
    @Test func aRoleChangeOnEitherNodeShowsInUsersMeOnBoth() async throws {
        let a = try await TestNode.make()
        let b = try await TestNode.make(keyPrefix: a.node.store.keyPrefix)
        try await a.app.test(.router) { clientA in
            try await b.app.test(.router) { clientB in
                let admin = try await a.adminToken(client: clientA)
                try await clientA.registerUser("changeling")
                let access = try #require(try await clientA.login("changeling").string("access_token"))
                func roles(_ client: some TestClientProtocol) async throws -> [String]? {
                    try await client.send(.get, "/users/me", headers: bearer(access)).json["roles"] as? [String]
                }
                // Both nodes answer, and now hold the body.
                #expect(try await roles(clientA) == [])
                #expect(try await roles(clientB) == [])
                let userID = try #require(try await clientA.send(.get, "/users/me", headers: bearer(access)).string("id"))
                #expect(a.node.userProfiles.body(forUser: userID) != nil)
                #expect(b.node.userProfiles.body(forUser: userID) != nil)

                let put = try await clientA.send(.put, "/admin/users/changeling/roles", headers: bearer(admin), body: #"{"roles":["user","editor"]}"#)
                #expect(put.status == .ok)
                // The node that wrote it: at once.
                #expect(try await roles(clientA) == ["user", "editor"])
                // The other node: once its follower applies RolesChanged.
                #expect(try await waitUntil(seconds: 1) { try await roles(clientB) == ["user", "editor"] } != nil)

                // And the other way round, through node B.
                let back = try await clientB.send(.put, "/admin/users/changeling/roles", headers: bearer(admin), body: #"{"roles":["user"]}"#)
                #expect(back.status == .ok)
                #expect(try await roles(clientB) == ["user"])
                #expect(try await waitUntil(seconds: 1) { try await roles(clientA) == ["user"] } != nil)
            }
        }
        await b.shutdown()
        await a.shutdown()
    }

    @Test func aBodyReadBeforeAChangeIsNotStoredAfterIt() throws {
        let cache = UserProfileCache()
        let generation = cache.generation
        cache.invalidate(user: "someone-else")
        cache.store(ByteBuffer(string: "{}"), forUser: "u", ifUnchangedSince: generation)
        #expect(cache.body(forUser: "u") == nil, "an event was applied while the body was read")
        cache.store(ByteBuffer(string: "{}"), forUser: "u", ifUnchangedSince: cache.generation)
        #expect(cache.body(forUser: "u") == ByteBuffer(string: "{}"))
    }

    @Test func onlyEventsThatChangeTheBodyDropIt() throws {
        let cache = UserProfileCache()
        func event(_ type: EventType, _ json: String) -> RecordedEvent {
            RecordedEvent(id: EventID(milliseconds: 1, sequence: 0), type: type, version: 1, data: Array(json.utf8))
        }
        cache.store(ByteBuffer(string: "{}"), forUser: "u", ifUnchangedSince: cache.generation)
        cache.apply(event(.sessionRevoked, #"{"user_id":"u","sid":"s","reason":"logout","access_expires_at":1}"#))
        #expect(cache.count == 1)
        cache.apply(event(.userEnabled, #"{"user_id":"v"}"#))
        #expect(cache.count == 1)
        cache.apply(event(.rolesChanged, #"{"user_id":"u","roles":["user"]}"#))
        #expect(cache.count == 0)
        cache.store(ByteBuffer(string: "{}"), forUser: "u", ifUnchangedSince: cache.generation)
        cache.apply(event(.userDisabled, #"{"user_id":"u","not_before":1}"#))
        #expect(cache.count == 0)
    }

    @Test func aFullCacheStartsOver() {
        let cache = UserProfileCache(capacity: 2)
        for user in ["a", "b", "c"] {
            cache.store(ByteBuffer(string: user), forUser: user, ifUnchangedSince: cache.generation)
        }
        #expect(cache.count == 1)
        #expect(cache.body(forUser: "c") == ByteBuffer(string: "c"))
    }
}
