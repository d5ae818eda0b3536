import Logging
import RedisClient
import TesseraAuth
import TesseraCore
import TesseraPasswords
import TesseraStore
import TesseraStoreTestSupport
import TesseraTestSupport
import Testing

@Suite(.redisServer) struct ReplayTests {
    let logger = Logger(label: "test")

    @Test func replayOfTheLoginFlowMatchesTheLiveProjections() async throws {
        try await RedisServer.withSuiteAccounts(label: "replay") { store, service in
            let workload = try await Workload.run(on: store, service: service)
            let report = try await ProjectionReplay(store: store, batchSize: 7).check()
            #expect(report.differences == [])
            #expect(report.isMatch)
            #expect(report.eventCount == workload.eventCount)
            #expect(Int64(report.eventCount) == (try await store.pool.send("XLEN", store.logKey).int))
            #expect(report.head == (try await store.head()))
            #expect(report.keyCount >= 20, "users, sessions, refresh index, revocations, failures, lock, user events")
            #expect(!report.isRepaired)
            #expect(try await scratchKeys(of: store).isEmpty, "the scratch keys are deleted")
        }
    }

    @Test func checkReportsExactlyTheKeysChangedByHand() async throws {
        try await RedisServer.withSuiteAccounts(label: "replay") { store, service in
            let workload = try await Workload.run(on: store, service: service)
            _ = try await store.pool.send("HSET", store.key("user", workload.aliceID), "roles", #"["admin"]"#)
            _ = try await store.pool.send("DEL", store.key("session", workload.liveSessionID))
            _ = try await store.pool.send("SET", store.key("stray"), "not from the log")
            // Ephemeral keys are not projections: neither compared nor repaired.
            _ = try await store.pool.send("SET", store.key("grace", "abc"), "sealed", "PX", "60000")
            _ = try await store.pool.send("HSET", store.key("node", "n1"), "applied", "0-1")

            let report = try await ProjectionReplay(store: store).check()
            #expect(report.differences.map(\.key) == ["session:\(workload.liveSessionID)", "stray", "user:\(workload.aliceID)"])
            #expect(
                report.differences.map(\.description).last
                    == #"differs: user:\#(workload.aliceID): live hash {roles: "[\"admin\"]"}, rebuilt hash {roles: "[]"}"#
            )
            #expect(report.differences.first?.description.hasPrefix("only rebuilt: session:\(workload.liveSessionID) = hash {") == true)
            #expect(report.differences.dropFirst().first?.description == #"only live: stray = "not from the log""#)
            #expect(try await store.pool.send("HGET", store.key("user", workload.aliceID), "roles").string == #"["admin"]"#, "check writes nothing")
            #expect(try await scratchKeys(of: store).isEmpty)
        }
    }

    @Test func repairMakesTheLiveProjectionsEqualTheLogAndLeavesEphemeralKeys() async throws {
        try await RedisServer.withSuiteAccounts(label: "replay") { store, service in
            let workload = try await Workload.run(on: store, service: service)
            _ = try await store.pool.send("HSET", store.key("user", workload.aliceID), "roles", #"["admin"]"#)
            _ = try await store.pool.send("DEL", store.key("session", workload.liveSessionID))
            _ = try await store.pool.send("ZREM", store.key("sessions", workload.aliceID), workload.liveSessionID)
            _ = try await store.pool.send("SET", store.key("stray"), "not from the log")
            _ = try await store.pool.send("SET", store.key("grace", "abc"), "sealed", "PX", "60000")

            let repaired = try await ProjectionReplay(store: store).repair()
            #expect(repaired.isRepaired)
            #expect(repaired.differences.count == 4)
            #expect(try await store.user(id: workload.aliceID)?.roles == [])
            #expect(try await store.session(id: workload.liveSessionID)?.sessionID == workload.liveSessionID)
            #expect(try await store.pool.send("EXISTS", store.key("stray")) == .integer(0))
            #expect(try await store.pool.send("GET", store.key("grace", "abc")).string == "sealed")
            #expect(try await ProjectionReplay(store: store).check().isMatch)
            #expect(try await scratchKeys(of: store).isEmpty)
        }
    }

    @Test func aRepairDuringRevocationsNeverUndoesThem() async throws {
        try await RedisServer.withSuiteAccounts(label: "replay") { store, service in
            let workload = try await Workload.run(on: store, service: service)
            // The revocation list loses a member by hand; revocations keep arriving meanwhile.
            let lost = try #require(try await store.pool.send("ZRANGE", store.key("revoked-tokens"), "0", "0").array?.first?.string)
            _ = try await store.pool.send("ZREM", store.key("revoked-tokens"), lost)
            let revocations = Task {
                var tokenIDs: [String] = []
                for _ in 0..<40 {
                    let tokenID = OpaqueToken.makeID()
                    let revoked = AccessTokenRevoked(
                        userID: workload.aliceID,
                        tokenID: tokenID,
                        sessionID: workload.liveSessionID,
                        expiresAt: 1 << 50
                    )
                    _ = try await store.run(RevokeAccessToken(revoked))
                    tokenIDs.append(tokenID)
                    try await Task.sleep(for: .milliseconds(1))
                }
                return tokenIDs
            }
            let repaired = try await ProjectionReplay(store: store, batchSize: 5, maxAttempts: 100).repair()
            let revoked = try await revocations.value
            #expect(repaired.isRepaired)
            #expect(repaired.differences.map(\.key) == ["revoked-tokens"])
            let listed = try await store.pool.send("ZRANGE", store.key("revoked-tokens"), "0", "-1").array?.compactMap(\.string) ?? []
            #expect(Set(revoked + [lost]).isSubset(of: listed), "no revocation appended during the repair was undone")
            #expect(try await ProjectionReplay(store: store).check().differences == [])
        }
    }

    @Test func aDifferingPasswordHashIsShownOnlyAsADigest() async throws {
        try await RedisServer.withSuiteAccounts(label: "replay") { store, service in
            let workload = try await Workload.run(on: store, service: service)
            let liveHash = try #require(try await store.user(id: workload.aliceID)?.passwordHash)
            _ = try await store.pool.send("HSET", store.key("user", workload.aliceID), "password_hash", "$y$j9T$tampered$hash")
            let report = try await ProjectionReplay(store: store).check()
            let line = try #require(report.differences.first?.description)
            #expect(report.differences.count == 1)
            #expect(line.hasPrefix("differs: user:\(workload.aliceID): live hash {password_hash: <sha256:"))
            #expect(!line.contains("tampered") && !line.contains(liveHash) && !line.contains("$y$"))
        }
    }

    @Test func replayOfAnEmptyLogMatchesAnEmptyProjection() async throws {
        try await RedisServer.withSuiteStore(label: "replay") { store in
            let report = try await ProjectionReplay(store: store).check()
            #expect(report.isMatch)
            #expect(report.head == nil)
            #expect(report.eventCount == 0)
            #expect(report.keyCount == 0)
        }
    }

    @Test func anEmptyLogMakesEveryProjectionKeyLiveOnly() async throws {
        try await RedisServer.withSuiteStore(label: "replay") { store in
            _ = try await store.pool.send("HSET", store.key("user", "ghost"), "username", "ghost")
            let report = try await ProjectionReplay(store: store).check()
            #expect(report.differences == [.onlyLive("user:ghost", .hash([.init("username", "ghost")]))])
        }
    }

    @Test func scratchPrefixesNeverOverlapTheLivePrefix() throws {
        let pool = RedisConnectionPool(configuration: try RedisServer.suite.configuration(poolSize: 1), logger: logger)
        defer { Task { await pool.shutdown() } }
        for live in ["tessera:", "tessera", "t", ":", "~x:", "~", "a*b:", "prod:tessera:"] {
            let scratch = EventStore(pool: pool, keyPrefix: live, logger: logger).makeScratchPrefix()
            #expect(!scratch.hasPrefix(live) && !live.hasPrefix(scratch), "\(live) vs \(scratch)")
            #expect(scratch.hasSuffix(":"))
        }
        #expect(EventStore(pool: pool, keyPrefix: "tessera:", logger: logger).makeScratchPrefix().hasPrefix("tessera-replay-"))
        #expect(EventStore(pool: pool, keyPrefix: "tessera", logger: logger).makeScratchPrefix().hasPrefix("~replay-"))
    }

    @Test func replayRefusesAnEmptyPrefix() async throws {
        let pool = RedisConnectionPool(configuration: try RedisServer.suite.configuration(poolSize: 1), logger: logger)
        defer { Task { await pool.shutdown() } }
        await #expect(throws: ReplayError.self) {
            try await ProjectionReplay(store: EventStore(pool: pool, keyPrefix: "", logger: logger)).check()
        }
    }

    /// Keys under any scratch prefix of `store` (`<live prefix minus ':'>-replay-*`).
    func scratchKeys(of store: EventStore) async throws -> [RedisValue] {
        try await store.pool.send("KEYS", String(store.keyPrefix.dropLast()) + "-replay-*").array ?? []
    }
}
