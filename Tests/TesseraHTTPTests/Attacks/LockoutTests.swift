import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraPasswords
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

    @Test func locksDoubleUpToTheCapAndASuccessAfterOneEndsStartsThemOver() async throws {
        let test = try await TestNode.make {
            $0.lockout.threshold = 2
            // Seconds, not less: a check right after a lockout must fall inside it even when the
            // run is slow (under TSan every request takes several times as long).
            $0.lockout.firstLock = .seconds(2)
            $0.lockout.longestLock = .seconds(4)
        }
        try await test.app.test(.router) { client in
            try await client.registerUser("doubler")
            /// Two failures lock the name; returns the lock the second one set, its length
            /// measured from that failure (the time login_failed.lua counts from).
            func lockOut() async throws -> (milliseconds: Int64, level: Int, until: Int64) {
                for _ in 0..<2 { try await client.login("doubler", password: Self.wrong).expectError("invalid_grant", .badRequest) }
                let newest = try await test.node.store.events(before: nil, limit: 2)
                let lock = try #require(try newest.first?.decode(as: UserLockedOut.self), "\(newest.map(\.type))")
                let failure = try #require(newest.last, "the failure that locked")
                #expect(failure.type == .loginFailed)
                return (lock.lockedUntil - Int64(failure.id.milliseconds), lock.level, lock.lockedUntil)
            }
            func waitOut(_ until: Int64) async throws {
                while Timestamp.nowMilliseconds() <= until + 20 { try await Task.sleep(for: .milliseconds(20)) }
            }
            let first = try await lockOut()
            #expect(first.milliseconds == 2000 && first.level == 0, "\(first)")
            let refused = try await client.login("doubler")
            refused.expectError("too_many_requests", .tooManyRequests)
            #expect((1...2).contains(refused.headers[.retryAfter].flatMap { Int($0) } ?? 0))
            try await waitOut(first.until)

            let second = try await lockOut()
            #expect(second.milliseconds == 4000 && second.level == 1, "doubled: \(second)")
            try await waitOut(second.until)
            let third = try await lockOut()
            #expect(third.milliseconds == 4000 && third.level == 2, "capped at the longest lock: \(third)")
            let capped = try await client.login("doubler")
            capped.expectError("too_many_requests", .tooManyRequests)
            #expect((1...4).contains(capped.headers[.retryAfter].flatMap { Int($0) } ?? 0))
            try await waitOut(third.until)

            // The lock ends by itself: the right password works, and the success starts the doubling over.
            #expect(try await client.login("doubler").status == .ok)
            let fresh = try await lockOut()
            #expect(fresh.milliseconds == 2000 && fresh.level == 0, "\(fresh)")
        }
        await test.shutdown()
    }
}
