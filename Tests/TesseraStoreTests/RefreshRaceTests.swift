import Logging
import RedisClient
import TesseraCore
import TesseraStore
import TesseraTestSupport
import Testing

/// "Exactly one of many concurrent presentations of a refresh token wins" is a property of
/// refresh.lua alone: these race the script itself on as many connections as presentations.
@Suite(.redisServer) struct RefreshRaceTests {
    static let racers = 24
    let logger = Logger(label: "test")

    /// A store whose pool has a connection (and a thread) per racer, so the scripts really
    /// arrive at Redis at once instead of queueing for a connection.
    func makeStore() throws -> EventStore {
        EventStore(
            pool: RedisConnectionPool(configuration: try RedisServer.suite.configuration(poolSize: Self.racers), logger: logger),
            keyPrefix: RedisServer.uniquePrefix("race"),
            logger: logger
        )
    }

    /// Registers a user and opens a session whose refresh token hashes to the returned value.
    func openSession(in store: EventStore) async throws -> String {
        let userID = OpaqueToken.makeID()
        let registered = UserRegistered(userID: userID, username: "racer", email: nil, passwordHash: "$y$j9T$salt$hash", roles: [])
        guard case .registered = try await store.run(RegisterUser(registered)) else { throw TestSupportError("not registered") }
        let now = Timestamp.nowMilliseconds()
        let refreshHash = OpaqueToken.sha256Hex(OpaqueToken.makeRefreshToken())
        let login = LoginSucceeded(
            userID: userID,
            username: "racer",
            sessionID: OpaqueToken.makeID(),
            refreshHash: refreshHash,
            tokenID: OpaqueToken.makeID(),
            accessExpiresAt: now + 60_000,
            expiresAt: now + 3_600_000,
            ip: "192.0.2.1",
            userAgent: "test",
            scope: nil
        )
        let opened = try await store.run(
            OpenSession(login: login, verifiedHash: "$y$j9T$salt$hash", rehash: nil, nowMilliseconds: now, settling: nil)
        )
        guard case .opened = opened else { throw TestSupportError("no session opened: \(opened)") }
        return refreshHash
    }

    /// Presents `presentedHash` `racers` times at once, each rotation to a new token of its own.
    func race(_ presentedHash: String, in store: EventStore, grace: Duration) async throws -> [(sealed: String, outcome: RefreshOutcome)] {
        try await withThrowingTaskGroup(of: (String, RefreshOutcome).self) { group in
            for index in 0..<Self.racers {
                group.addTask {
                    let now = Timestamp.nowMilliseconds()
                    let sealed = "sealed-\(index)"
                    let command = RotateRefreshToken(
                        presentedHash: presentedHash,
                        newHash: OpaqueToken.sha256Hex("new-token-\(index)"),
                        accessExpiresAt: now + 60_000,
                        expiresAt: now + 3_600_000,
                        reuseGrace: grace,
                        ip: "192.0.2.1",
                        userAgent: "racer \(index)",
                        sealedForGrace: grace > .zero ? sealed : "",
                        nowMilliseconds: now
                    )
                    return (sealed, try await store.run(command))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func ofManyConcurrentRotationsOfOneTokenExactlyOneRotatesAndTheNextIsReuse() async throws {
        let store = try makeStore()
        defer { Task { await store.pool.shutdown() } }
        let presented = try await openSession(in: store)
        let outcomes = try await race(presented, in: store, grace: .zero).map(\.outcome)

        let rotated = outcomes.filter { if case .rotated = $0 { true } else { false } }
        let reused = outcomes.filter { if case .reused = $0 { true } else { false } }
        #expect(rotated.count == 1, "\(outcomes)")
        #expect(reused.count == 1, "the first loser finds the token rotated away: reuse, the session is revoked")
        #expect(outcomes.filter { $0 == .rejected(.sessionRevoked) }.count == Self.racers - 2, "the rest find the session revoked")
        let log = try await store.events(after: nil, limit: 100).map(\.type)
        #expect(log.filter { $0 == .tokenRefreshed }.count == 1, "one rotation in the log")
        #expect(log.filter { $0 == .refreshReuseDetected }.count == 1)
        #expect(log.filter { $0 == .sessionRevoked }.count == 1)
    }

    @Test func withinTheGraceEveryLoserGetsTheWinnersAnswerAndNoSecondRotation() async throws {
        let store = try makeStore()
        defer { Task { await store.pool.shutdown() } }
        let presented = try await openSession(in: store)
        let results = try await race(presented, in: store, grace: .seconds(30))

        let winners = results.filter { if case .rotated = $0.outcome { true } else { false } }
        #expect(winners.count == 1, "\(results.map(\.outcome))")
        let winnerSeal = try #require(winners.first?.sealed)
        for (_, outcome) in results {
            switch outcome {
            case .rotated: continue
            case .grace(let replay): #expect(replay.sealedRefreshToken == winnerSeal, "the loser repeats the winner's rotation")
            default: Issue.record("a loser within the grace got \(outcome)")
            }
        }
        let log = try await store.events(after: nil, limit: 100).map(\.type)
        #expect(log.filter { $0 == .tokenRefreshed }.count == 1)
        #expect(!log.contains(.sessionRevoked))
    }
}
