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
                // Both nodes answer, and now hold the profile.
                #expect(try await roles(clientA) == [])
                #expect(try await roles(clientB) == [])
                let userID = try #require(try await clientA.send(.get, "/users/me", headers: bearer(access)).string("id"))
                #expect(a.node.state.profiles.profile(ofUser: userID) != nil)
                #expect(b.node.state.profiles.profile(ofUser: userID) != nil)

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
}
