import ArgumentParser
import Foundation
import Logging
import RedisClient
import Synchronization
import TesseraCore
import TesseraStore
import TesseraStoreTestSupport
import TesseraTestSupport
import Testing

@testable import tessera

@Suite(.redisServer) struct ReplayCommandTests {
    let logger = Logger(label: "test")

    // MARK: replay

    @Test func replayCheckPrintsAMatchWithItsCountsAndSucceeds() async throws {
        try await RedisServer.withSuiteStore(label: "cli") { store in
            try await store.registerUser(named: "alice")
            try await store.registerUser(named: "bob")
            let (lines, succeeded) = try await ReplayCommand.parse(["--check"]).replay(store)
            // Each user: user:<id>, username:<name>, user-events:<id>.
            #expect(lines == ["projections match the log (2 events, 6 keys)"])
            #expect(succeeded)
        }
    }

    @Test func replayCheckPrintsEachDifferenceAndFails() async throws {
        try await RedisServer.withSuiteStore(label: "cli") { store in
            let alice = try await store.registerUser(named: "alice")
            _ = try await store.pool.send("HSET", store.key("user", alice.userID), "roles", #"["admin"]"#)
            _ = try await store.pool.send("DEL", store.key("username", "alice"))
            let (lines, succeeded) = try await ReplayCommand.parse(["--check"]).replay(store)
            #expect(
                lines == [
                    #"differs: user:\#(alice.userID): live hash {roles: "[\"admin\"]"}, rebuilt hash {roles: "[]"}"#,
                    #"only rebuilt: username:alice = "\#(alice.userID)""#,
                    "projections differ from the log in 2 keys (1 event, 3 keys)",
                ]
            )
            #expect(!succeeded)
            #expect(try await store.pool.send("HGET", store.key("user", alice.userID), "roles").string == #"["admin"]"#)
        }
    }

    @Test func replayWithoutCheckRepairsAndPrintsWhatItChanged() async throws {
        try await RedisServer.withSuiteStore(label: "cli") { store in
            let alice = try await store.registerUser(named: "alice")
            _ = try await store.pool.send("HSET", store.key("user", alice.userID), "roles", #"["admin"]"#)
            _ = try await store.pool.send("SET", store.key("leftover"), "x")
            let (lines, succeeded) = try await ReplayCommand.parse([]).replay(store)
            #expect(
                lines == [
                    #"deleted leftover = "x""#,
                    #"replaced user:\#(alice.userID): live hash {roles: "[\"admin\"]"}, rebuilt hash {roles: "[]"}"#,
                    "repaired 2 keys to match the log (1 event, 3 keys)",
                ]
            )
            #expect(succeeded)
            #expect(try await ReplayCommand.parse(["--check"]).replay(store).lines == ["projections match the log (1 event, 3 keys)"])
        }
    }

    // MARK: events tail

    @Test func anEventRendersAsOneJSONObjectWithItsStoredData() throws {
        let event = RecordedEvent(
            id: EventID(milliseconds: 1_732_363_200_123, sequence: 4),
            type: .sessionRevoked,
            version: 1,
            data: Array(#"{"reason":"logout","sid":"s\"1"}"#.utf8)
        )
        #expect(
            event.jsonObject
                == #"{"id":"1732363200123-4","type":"SessionRevoked","at":"2024-11-23T12:00:00.123Z","data":{"reason":"logout","sid":"s\"1"}}"#
        )
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(event.jsonObject.utf8)) as? [String: Any])
        #expect((parsed["data"] as? [String: Any])?["sid"] as? String == #"s"1"#)
    }

    @Test func tailFromAnIDPrintsFromThatEventInclusiveThenFollows() async throws {
        try await RedisServer.withSuiteStore(label: "cli") { store in
            let first = try await store.registerUser(named: "first")
            let second = try await store.registerUser(named: "second")
            let lines = try await tailLines(2, of: store, from: .at(second.event.id)) {
                try await Task.sleep(for: .milliseconds(300))  // appended while the tail follows
                try await store.registerUser(named: "third")
            }
            let log = try await store.events(after: nil, limit: 10)
            #expect(log.count == 3)
            #expect(lines == log.dropFirst().map(\.jsonObject))
            #expect(!lines.contains { $0.contains(first.userID) })
            #expect(lines.first?.hasPrefix(#"{"id":"\#(second.event.id)","type":"UserRegistered","at":""#) == true)
        }
    }

    @Test func tailFromZeroPrintsTheWholeLog() async throws {
        try await RedisServer.withSuiteStore(label: "cli") { store in
            try await store.registerUser(named: "first")
            try await store.registerUser(named: "second")
            let start = try EventsTail.parse(["--from", "0"]).startingPoint()
            let lines = try await tailLines(2, of: store, from: start) {}
            #expect(lines == (try await store.events(after: nil, limit: 10)).map(\.jsonObject))
        }
    }

    @Test func tailWithoutFromPrintsOnlyNewEvents() async throws {
        try await RedisServer.withSuiteStore(label: "cli") { store in
            try await store.registerUser(named: "old")
            // However late the tail reads the head, events keep arriving after it: no sleep to guess.
            let lines = try await tailLines(1, of: store, from: .head) {
                for index in 0... {
                    try await store.registerUser(named: "new\(index)")
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            #expect(lines.count == 1)
            #expect(lines.first?.contains(#""username":"new"#) == true, "\(lines)")
        }
    }

    @Test func tailAcceptsOnlyEventIDsAsItsStart() throws {
        #expect(try EventsTail.parse([]).startingPoint() == .head)
        #expect(try EventsTail.parse(["--from", "0-0"]).startingPoint() == .at(.zero))
        #expect(try EventsTail.parse(["--from", "1732363200000"]).startingPoint() == .at(EventID(milliseconds: 1_732_363_200_000, sequence: 0)))
        #expect(try EventsTail.parse(["--from", "1732363200000-7"]).startingPoint() == .at(EventID(milliseconds: 1_732_363_200_000, sequence: 7)))
        for bad in ["abc", "-1", "1-2-3", " 1-0", "1732363200000-", "$", "+"] {
            #expect(throws: ValidationError.self, "\(bad)") { try EventsTail.parse(["--from=\(bad)"]).startingPoint() }
        }
        #expect(EventTail.predecessor(of: EventID(milliseconds: 5, sequence: 0)) == EventID(milliseconds: 4, sequence: .max))
        #expect(EventTail.predecessor(of: EventID(milliseconds: 5, sequence: 2)) == EventID(milliseconds: 5, sequence: 1))
        #expect(EventTail.predecessor(of: .zero) == .zero)
    }

    /// Runs `tessera events tail` until it has written `count` lines (10 s at most), running
    /// `action` meanwhile (cancelled once the lines are in, if it still runs); returns the lines.
    func tailLines(
        _ count: Int,
        of store: EventStore,
        from start: EventTail.Start,
        whileRunning action: @escaping @Sendable () async throws -> Void
    ) async throws -> [String] {
        struct Enough: Error {}
        final class Lines: Sendable { let lines = Mutex<[String]>([]) }
        let collected = Lines()
        let tail = EventTail(store: store, logger: logger, blockMilliseconds: 50)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await tail.run(from: start) { line in
                        if collected.lines.withLock({
                            $0.append(line)
                            return $0.count
                        }) >= count {
                            throw Enough()
                        }
                    }
                } catch is Enough {}
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(10))
                throw TestSupportError("the tail printed \(collected.lines.withLock(\.count)) of \(count) lines in 10 s")
            }
            group.addTask {
                try await action()
                return false
            }
            // Until the tail is done (true); the action ending first (false) is not the end.
            while try await group.next() == false {}
            group.cancelAll()
        }
        return collected.lines.withLock { $0 }
    }
}
