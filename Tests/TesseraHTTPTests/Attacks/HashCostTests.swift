import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraPasswords
import TesseraStore
import TesseraStoreTestSupport
import TesseraTestSupport
import Testing

/// A stored hash costlier than the server's own choice (here a real bcrypt cost-31 hash: 2^31
/// rounds, hours of one core) must never reach a hashing thread: the login fails as a wrong
/// password would, the hasher runs nothing, and the log says why without the hash.
@Suite(.redisServer) struct HashCostTests {
    /// Python bcrypt's `$2b$12$` hash of `PasslibHash.password` with the cost field set to 31:
    /// well-formed, so libxcrypt would run all 2^31 rounds on it.
    static let cost31 = PasslibHash.bcrypt.replacingOccurrences(of: "$2b$12$", with: "$2b$31$")

    @Test func aStoredHashAboveTheCostCapFailsTheLoginWithoutTakingAHashingThread() async throws {
        #expect(Self.cost31.hasPrefix("$2b$31$") && Self.cost31.utf8.count == 60)
        let recorder = LogRecorder()
        let test = try await TestNode.make(logger: recorder.logger())
        // Written as an import before the cap existed would have written it: straight into the log.
        try await test.node.store.register(
            UserRegistered(userID: OpaqueToken.makeID(), username: "costly", email: nil, passwordHash: Self.cost31, roles: [])
        )
        try await test.app.test(.live) { client in
            let operationsBefore = test.node.hasher.operationCount
            for password in [PasslibHash.password, "anything else"] {
                try await client.login("costly", password: password).expectError("invalid_grant", .badRequest)
            }
            // By structure, not by the clock: the hasher ran nothing for either check.
            #expect(test.node.hasher.operationCount == operationsBefore)
            // The failures count like wrong passwords.
            let failed = try await test.node.store.events(after: nil, limit: 100).filter { $0.type == .loginFailed }
            #expect(failed.count == 2)

            // The control: an ordinary user's login does reach the hasher.
            try await client.registerUser("ordinary")
            let beforeControl = test.node.hasher.operationCount
            #expect(try await client.login("ordinary").status == .ok)
            #expect(test.node.hasher.operationCount > beforeControl)
        }
        let lines = recorder.lines
        #expect(lines.contains { $0.contains("costs more than the server allows") && $0.contains("bcrypt cost 31") })
        #expect(!lines.contains { $0.contains(Self.cost31) || $0.contains(String(Self.cost31.dropFirst(7))) }, "the hash is never logged")
        await test.shutdown()
    }
}
