import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TesseraAuth
import TesseraHTTP
import TesseraStore
import TesseraStoreTestSupport
import TesseraTestSupport
import Testing

@testable import TesseraPasswords

/// A login that finds every hashing thread busy and the queue full is held for the hasher's
/// `saturatedHold`, then refused with 503 and `Retry-After` — or let through if room freed
/// meanwhile. Refused, it spends nothing else: no reservation, no event.
@Suite(.redisServer) struct LoginOverloadTests {
    /// Keeps the node's one hashing thread busy until the returned gate opens.
    private func occupyTheHashingThread(of test: TestNode) async throws -> (BlockingGate, Task<Void, any Error>) {
        try await BlockingGate.blocking { gate in Task { try await test.node.hasher.run { gate.block() } } }
    }

    @Test func aLoginThatFindsTheHasherFullIsHeldThenRefusedAndChangesNothing() async throws {
        let hold = Duration.milliseconds(300)
        let test = try await TestNode.make { $0.passwordHashing = .init(threads: 1, queueLimit: 0, saturatedHold: hold) }
        try await test.app.test(.router) { client in
            try await client.registerUser("patient")
            let head = try await test.node.store.head()
            let (worker, busy) = try await occupyTheHashingThread(of: test)
            let operations = test.node.hasher.operationCount

            let start = ContinuousClock.now
            let refused = try await client.login("patient")
            refused.expectError("unavailable", .serviceUnavailable)
            #expect(refused.headers[.retryAfter] == "1")
            #expect(ContinuousClock.now - start >= hold)
            #expect(test.node.hasher.operationCount == operations)
            #expect(try await test.node.store.head() == head)

            worker.open()
            try await busy.value
        }
        await test.shutdown()
    }

    @Test func aHeldLoginGoesAheadWhenAHashingThreadFreesDuringTheHold() async throws {
        let test = try await TestNode.make { $0.passwordHashing = .init(threads: 1, queueLimit: 0, saturatedHold: .seconds(2)) }
        try await test.app.test(.router) { client in
            try await client.registerUser("patient")
            let (worker, busy) = try await occupyTheHashingThread(of: test)

            let held = Task { try await client.login("patient") }
            while test.node.hasher.heldCount == 0 { try await Task.sleep(for: .milliseconds(1)) }
            worker.open()
            try await busy.value
            let answer = try await held.value
            #expect(answer.status == .ok, "body: \(answer.body)")
            #expect(answer.string("access_token") != nil)
        }
        await test.shutdown()
    }
}
