import Foundation
import Logging
import Synchronization
import TesseraCore
import TesseraPasswords
import TesseraTestSupport
import Testing

@testable import TesseraPasswords

@Suite("Password hasher")
struct PasswordHasherTests {
    let logger = Logger(label: "tessera.test.password")
    let password = Array("correct horse battery staple".utf8)

    /// Keeps the hasher's one thread busy until the returned gate opens.
    private func occupyTheThread(of hasher: PasswordHasher) async throws -> (BlockingGate, Task<Void, any Error>) {
        try await BlockingGate.blocking { gate in Task { try await hasher.run { gate.block() } } }
    }

    /// A `hasRoom()` call started in a task, once it is waiting out its hold.
    private func heldCall(on hasher: PasswordHasher) async throws -> Task<Bool, Never> {
        let held = Task { await hasher.hasRoom() }
        while hasher.heldCount == 0 { try await Task.sleep(for: .milliseconds(1)) }
        return held
    }

    @Test func hashesAndVerifiesOnItsThreads() async throws {
        let hasher = PasswordHasher(configuration: .init(threads: 2, queueLimit: 4), logger: logger)
        defer { hasher.shutdown() }
        let hash = try await hasher.hash(password)
        #expect(try await hasher.verify(password, against: hash))
        #expect(try await !hasher.verify(Array("nope".utf8), against: hash))
        #expect(try await hasher.run { hasher.isWorkerThread })
        #expect(!hasher.isWorkerThread)
    }

    @Test func malformedStoredHashVerifiesAsFalse() async throws {
        let hasher = PasswordHasher(configuration: .init(threads: 1, queueLimit: 1), logger: logger)
        defer { hasher.shutdown() }
        #expect(try await !hasher.verify(password, against: "not-a-hash"))
    }

    @Test func dummyVerificationRunsACryptOperation() async throws {
        let hasher = PasswordHasher(configuration: .init(threads: 1, queueLimit: 1), logger: logger)
        defer { hasher.shutdown() }
        let before = hasher.operationCount
        let start = ContinuousClock.now
        try await hasher.verifyAgainstDummy(password)
        let elapsed = ContinuousClock.now - start
        #expect(hasher.operationCount == before + 1)
        // A real yescrypt verification takes milliseconds, not microseconds.
        #expect(elapsed > .milliseconds(2))
    }

    @Test func refusesWorkBeyondThreadsPlusQueueAsOverloaded() async throws {
        let hasher = PasswordHasher(configuration: .init(threads: 1, queueLimit: 0), logger: logger)
        defer { hasher.shutdown() }
        let (gate, busy) = try await occupyTheThread(of: hasher)

        await #expect(throws: PasswordHasherError.self) { try await hasher.verify(password, against: "$y$j9T$x") }
        do {
            _ = try await hasher.hash(password)
            Issue.record("expected overloaded")
        } catch {
            #expect(error.code == .overloaded)
        }
        #expect(hasher.operationCount == 1)

        gate.open()
        try await busy.value
        let hash = try await hasher.hash(password)
        #expect(try await hasher.verify(password, against: hash))
    }

    @Test func hasRoomHoldsACallThatFindsTheHasherSaturatedThenRefusesIt() async throws {
        let hold = Duration.milliseconds(200)
        let hasher = PasswordHasher(configuration: .init(threads: 1, queueLimit: 0, saturatedHold: hold), logger: logger)
        defer { hasher.shutdown() }
        #expect(await hasher.hasRoom())
        let (gate, busy) = try await occupyTheThread(of: hasher)

        // A client that resends the moment it is refused is refused at most once per hold.
        let start = ContinuousClock.now
        #expect(await !hasher.hasRoom())
        #expect(ContinuousClock.now - start >= hold)
        gate.open()
        try await busy.value
    }

    @Test func aHeldCallGoesAheadWhenTheHasherHasRoomByTheEndOfTheHold() async throws {
        let hasher = PasswordHasher(configuration: .init(threads: 1, queueLimit: 0, saturatedHold: .milliseconds(300)), logger: logger)
        defer { hasher.shutdown() }
        let (gate, busy) = try await occupyTheThread(of: hasher)
        let held = try await heldCall(on: hasher)
        gate.open()
        try await busy.value
        #expect(await held.value)
    }

    @Test func beyondTheHoldLimitASaturatedHasherRefusesAtOnce() async throws {
        let hasher = PasswordHasher(
            configuration: .init(threads: 1, queueLimit: 0, saturatedHold: .seconds(30), saturatedHoldLimit: 1),
            logger: logger
        )
        defer { hasher.shutdown() }
        let (gate, busy) = try await occupyTheThread(of: hasher)
        let held = try await heldCall(on: hasher)
        // The one allowed hold is taken (for 30 s): the next call does not wait for it.
        #expect(await !hasher.hasRoom())
        #expect(hasher.heldCount == 1)
        held.cancel()
        #expect(await !held.value)
        gate.open()
        try await busy.value
    }

    @Test func aZeroHoldRefusesASaturatedHasherAtOnce() async throws {
        let hasher = PasswordHasher(configuration: .init(threads: 1, queueLimit: 0, saturatedHold: .zero), logger: logger)
        defer { hasher.shutdown() }
        let (gate, busy) = try await occupyTheThread(of: hasher)
        #expect(await !hasher.hasRoom())
        #expect(hasher.heldCount == 0)
        gate.open()
        try await busy.value
    }

    @Test func queuedWorkWaitsForAFreeThread() async throws {
        let hasher = PasswordHasher(configuration: .init(threads: 1, queueLimit: 1), logger: logger)
        defer { hasher.shutdown() }
        let (gate, busy) = try await occupyTheThread(of: hasher)
        let queued = Task { try await hasher.verify(password, against: "$y$j9T$x") }
        while hasher.inFlightCount < 2 { try await Task.sleep(for: .milliseconds(1)) }
        await #expect(throws: PasswordHasherError.self) { try await hasher.verify(password, against: "$y$j9T$x") }
        gate.open()
        try await busy.value
        #expect(try await queued.value == false)
    }

    @Test func shutDownHasherRefusesWork() async {
        let hasher = PasswordHasher(configuration: .init(threads: 1, queueLimit: 1), logger: logger)
        hasher.shutdown()
        hasher.shutdown()
        do {
            _ = try await hasher.hash(password)
            Issue.record("expected shutDown")
        } catch {
            #expect(error.code == .shutDown)
        }
    }
}
