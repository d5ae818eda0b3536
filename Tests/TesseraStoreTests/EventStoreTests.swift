import Logging
import RedisClient
import Synchronization
import TesseraCore
import TesseraStore
import TesseraStoreTestSupport
import TesseraTestSupport
import Testing

@Suite(.redisServer) struct EventStoreTests {
    let logger = Logger(label: "test")

    func makeStore(poolSize: Int = 4) throws -> EventStore {
        try RedisServer.suite.makeStore(poolSize: poolSize, logger: logger)
    }

    @Test func appendThenReadAndFollowRoundTrip() async throws {
        let store = try makeStore()
        defer { Task { await store.pool.shutdown() } }
        let payload = UserRegistered.placeholder("Alice")
        let appended = try await store.register(payload)
        let events = try await store.events(after: nil, limit: 10)
        #expect(events == [appended], "the script returns exactly the event it appended")
        #expect(events.first?.type == .userRegistered)
        #expect(events.first?.version == 1)
        #expect(events.first?.data == (try EventEncoding.encode(payload)), "the stored bytes are the bytes Swift encoded")
        let decoded = try #require(try events.first?.decode(as: UserRegistered.self))
        #expect(decoded.username == "Alice")
        // The projection was written by the same script.
        let userID = try #require(await store.pool.send("GET", store.key("username", "alice")).string)
        #expect(userID == decoded.userID)
        #expect(try await store.pool.send("HGET", store.key("user", userID), "username").string == "Alice")

        let follower = EventFollower(configuration: try RedisServer.suite.configuration(), logKey: store.logKey, logger: logger)
        let followed = try await firstEvents(from: follower, after: .zero)
        #expect(followed == events)
    }

    @Test func aFollowerSeesAnEventAppendedByAnotherConnection() async throws {
        let store = try makeStore()
        defer { Task { await store.pool.shutdown() } }
        _ = try await store.register(.placeholder("first"))
        let head = try #require(try await store.head())
        let follower = EventFollower(
            configuration: try RedisServer.suite.configuration(),
            logKey: store.logKey,
            blockMilliseconds: 100,
            logger: logger
        )
        async let seen = firstEvents(from: follower, after: head)
        try await Task.sleep(for: .milliseconds(150))
        let other = try makeStore(poolSize: 1)
        let writer = EventStore(pool: other.pool, keyPrefix: store.keyPrefix, logger: logger)
        defer { Task { await other.pool.shutdown() } }
        let appended = try await writer.register(.placeholder("second"))
        let events = try await seen
        #expect(events == [appended])
        #expect(try events.first?.decode(as: UserRegistered.self)?.username == "second")
    }

    @Test func theFollowersBlockingReadHoldsNoOtherCallerUp() async throws {
        let store = try makeStore(poolSize: 1)
        defer { Task { await store.pool.shutdown() } }
        let follower = EventFollower(
            configuration: store.pool.configuration,
            logKey: store.logKey,
            blockMilliseconds: 3000,
            logger: logger
        )
        let following = Task { try await follower.follow(after: .zero) { _ in } }
        defer { following.cancel() }
        // Wait until the follower's XREAD blocks in Redis.
        var isBlocked = false
        for _ in 0..<200 where !isBlocked {
            let clients = try await store.pool.send("CLIENT", "LIST").string ?? ""
            isBlocked = clients.split(separator: "\n").contains { $0.contains("cmd=xread") && $0.contains("flags=b") }
            if !isBlocked { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(isBlocked)
        let started = ContinuousClock.now
        #expect(try await store.pool.send("PING") == .simpleString("PONG"))
        #expect(ContinuousClock.now - started < .seconds(1), "a PING queued behind the blocked XREAD would wait up to 3 s")
    }

    @Test func aRejectedPreconditionWritesNothing() async throws {
        let store = try makeStore()
        defer { Task { await store.pool.shutdown() } }
        _ = try await store.register(.placeholder("Bob"))
        let keysBefore = try await store.pool.send("KEYS", store.keyPrefix + "*").array?.count
        let second = UserRegistered.placeholder("bOB")
        let outcome = try await store.run(RegisterUser(second))
        #expect(outcome == .usernameTaken)
        #expect(try await store.pool.send("XLEN", store.logKey) == .integer(1))
        #expect(try await store.pool.send("KEYS", store.keyPrefix + "*").array?.count == keysBefore)
        #expect(try await store.pool.send("EXISTS", store.key("user", second.userID)) == .integer(0))
    }

    @Test func twoHundredConcurrentAppendsLandExactlyOnceInOrder() async throws {
        let store = try makeStore(poolSize: 8)
        defer { Task { await store.pool.shutdown() } }
        let returned = try await withThrowingTaskGroup(of: (String, EventID).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let name = "user\(index)"
                    return (name, try await store.register(.placeholder(name)).id)
                }
            }
            return try await group.reduce(into: [(String, EventID)]()) { $0.append($1) }
        }
        var log: [RecordedEvent] = []
        var cursor: EventID?
        while true {
            let page = try await store.events(after: cursor, limit: 64)
            guard let last = page.last else { break }
            log += page
            cursor = last.id
        }
        #expect(log.count == 200)
        #expect(log.map(\.id) == log.map(\.id).sorted(), "the log is in id order")
        #expect(Set(log.map(\.id)).count == 200)
        #expect(Set(log.map(\.id)) == Set(returned.map(\.1)), "every acknowledged append is in the log exactly once")
        let byID = Dictionary(uniqueKeysWithValues: returned.map { ($1, $0) })
        for event in log {
            #expect(try event.decode(as: UserRegistered.self)?.username == byID[event.id])
        }
    }

    @Test func pagesBackwardsNewestFirst() async throws {
        let store = try makeStore()
        defer { Task { await store.pool.shutdown() } }
        for index in 0..<5 { _ = try await store.register(.placeholder("p\(index)")) }
        let all = try await store.events(after: nil, limit: 100)
        let firstPage = try await store.events(before: nil, limit: 2)
        #expect(firstPage.map(\.id) == [all[4].id, all[3].id])
        let secondPage = try await store.events(before: firstPage.last?.id, limit: 2)
        #expect(secondPage.map(\.id) == [all[2].id, all[1].id])
        let lastPage = try await store.events(before: secondPage.last?.id, limit: 2)
        #expect(lastPage.map(\.id) == [all[0].id])
        #expect(try await store.events(withIDs: [all[3].id, all[1].id]).map(\.id) == [all[3].id, all[1].id])
        #expect(try await store.head() == all[4].id)
    }

    @Test func scriptsAreReloadedWhenRedisForgetsThem() async throws {
        let store = try makeStore()
        defer { Task { await store.pool.shutdown() } }
        _ = try await store.register(.placeholder("before-flush"))
        _ = try await store.pool.send("SCRIPT", "FLUSH")
        _ = try await store.register(.placeholder("after-flush"))
        #expect(try await store.pool.send("XLEN", store.logKey) == .integer(2))
    }

    @Test func eventEncodingIsDeterministic() throws {
        let event = UserRegistered(userID: "u1", username: "z", email: "a@b", passwordHash: "h", roles: ["b", "a"])
        let bytes = try EventEncoding.encode(event)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"email":"a@b","password_hash":"h","roles":["b","a"],"user_id":"u1","username":"z"}"#)
    }

    /// Follows until the first batch of events arrives, then stops following.
    func firstEvents(from follower: EventFollower, after start: EventID) async throws -> [RecordedEvent] {
        let box = EventsBox()
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await follower.follow(after: start) { update in
                        if case .events(let events) = update {
                            box.set(events)
                            throw CancellationError()
                        }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(10))
                    throw TestSupportError("the follower saw nothing within 10 s")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch is CancellationError {}
        return box.get()
    }
}

final class EventsBox: Sendable {
    private let storage = Mutex<[RecordedEvent]>([])
    func set(_ events: [RecordedEvent]) { storage.withLock { $0 = events } }
    func get() -> [RecordedEvent] { storage.withLock { $0 } }
}
