import ArgumentParser
import Logging
import RedisClient
import TesseraCore
import TesseraStore
import TesseraTestSupport
import Testing

@testable import tessera

@Suite(.redisServer) struct FeedCredentialCommandTests {
    @Test func issueStoresOnlyTheHashAndRevokeRemovesItOnce() async throws {
        let pool = RedisConnectionPool(configuration: try RedisServer.suite.configuration(), logger: Logger(label: "test"))
        let store = EventStore(pool: pool, keyPrefix: RedisServer.uniquePrefix("feed"), logger: Logger(label: "test"))
        let credential = try await FeedCredentialIssue.parse(["orders-api"]).issue(on: store)
        #expect(FeedCredential(credential.text) == credential)
        #expect(try await store.feedCredentialHash(id: credential.id) == credential.secretHash)
        let log = try await store.events(after: nil, limit: 10)
        #expect(log.map(\.type) == [.feedCredentialIssued])
        #expect(!String(decoding: log[0].data, as: UTF8.self).contains(credential.secret), "the secret is in the log")

        let revoked = try await FeedCredentialRevoke.parse([credential.id]).revoke(on: store)
        #expect(try await store.events(after: nil, limit: 10).last?.id == revoked)
        #expect(try await store.feedCredentialHash(id: credential.id) == nil)
        await #expect(throws: CommandFailure.self) { try await FeedCredentialRevoke.parse([credential.id]).revoke(on: store) }
        await pool.shutdown()
    }
}
