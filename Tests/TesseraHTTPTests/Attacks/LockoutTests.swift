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

/// "Five wrong guesses lock the name" under every interleaving: a name gets at most the
/// threshold's worth of password checks per window, however many requests arrive at once.
@Suite(.redisServer) struct LockoutTests {
    static let wrong = "not the password"

    @Test func fortyConcurrentGuessesGetAtMostTheThresholdsWorthOfPasswordChecks() async throws {
        let test = try await TestNode.make { $0.lockout.threshold = 5 }
        try await test.app.test(.live) { client in
            try await client.registerUser("besieged")
            let before = test.node.hasher.operationCount
            let answers = try await onSeparateConnections(40, of: client) { _, connection in
                try await connection.login("besieged", password: Self.wrong)
            }
            let checks = test.node.hasher.operationCount - before
            #expect(checks <= 5, "\(checks) password checks for one name")
            #expect(answers.filter { $0.status == .badRequest }.count == checks)
            #expect(answers.filter { $0.status == .tooManyRequests }.count == 40 - checks)
            // Locked now: the right password gets the same 429, without a password check.
            let afterwards = test.node.hasher.operationCount
            let right = try await client.login("besieged")
            right.expectError("too_many_requests", .tooManyRequests)
            #expect(right.headers[.retryAfter] != nil)
            #expect(test.node.hasher.operationCount == afterwards)
        }
        await test.shutdown()
    }

    @Test func theAddressLimitHoldsUnderConcurrencyToo() async throws {
        let test = try await TestNode.make {
            $0.lockout.threshold = 0
            $0.lockout.ipFailureLimit = 4
        }
        try await test.app.test(.live) { client in
            let before = test.node.hasher.operationCount
            let answers = try await onSeparateConnections(30, of: client) { index, connection in
                try await connection.login("spray\(index)", password: Self.wrong)
            }
            let checks = test.node.hasher.operationCount - before
            #expect(checks <= 4, "\(checks) password checks from one address")
            #expect(answers.filter { $0.status == .tooManyRequests }.count == 30 - checks)
        }
        await test.shutdown()
    }

    @Test func wrongCurrentPasswordsOfAPasswordChangeCountAsFailedLogins() async throws {
        let test = try await TestNode.make { $0.lockout.threshold = 3 }
        try await test.app.test(.router) { client in
            try await client.registerUser("stolen")
            let access = try #require(try await client.login("stolen").string("access_token"))
            func change(_ current: String) async throws -> Answer {
                try await client.postJSON(
                    "/users/me/password",
                    #"{"current_password":"\#(current)","new_password":"a new password!"}"#,
                    headers: bearer(access)
                )
            }
            for _ in 0..<3 { try await change(Self.wrong).expectError("invalid_grant", .badRequest) }
            // The thief is locked out, and so is the right current password, and a login.
            try await change("correct horse battery").expectError("too_many_requests", .tooManyRequests)
            try await client.login("stolen").expectError("too_many_requests", .tooManyRequests)
        }
        let events = try await test.node.store.events(after: nil, limit: 100)
        let failures = try events.compactMap { try $0.decode(as: LoginFailed.self) }
        #expect(failures.count == 3)
        #expect(failures.allSatisfy { $0.username == "stolen" && $0.userID != nil && $0.reason == .badPassword })
        #expect(events.contains { $0.type == .userLockedOut })
        await test.shutdown()
    }
}
