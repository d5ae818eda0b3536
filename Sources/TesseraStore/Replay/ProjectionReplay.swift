import RedisClient
public import TesseraCore

/// Rebuilds every projection from the log alone and compares it with the live projections,
/// or repairs the live ones to match: `tessera replay [--check]`.
///
/// The rebuild runs into a scratch prefix (`EventStore.makeScratchPrefix()`) that the live
/// prefix's keys never match, and the scratch keys are deleted afterwards, also on failure.
/// Safe while nodes write: the live state is read and repaired only at a log position the
/// rebuild has reached. If an event is appended while the live keys are read, the rebuild
/// catches up and reads again; a repair is one MULTI/EXEC that WATCHes the log, so an append
/// in between aborts it and the round repeats. Nodes' in-memory revocation views follow the
/// log, not these keys: a repair changes what a node loads at its next start.
public struct ProjectionReplay: Sendable {
    /// What a replay found (and, for `repair`, changed).
    public struct Report: Sendable, Equatable {
        /// The newest event replayed, nil for an empty log.
        public var head: EventID?
        /// How many events were replayed.
        public var eventCount: Int
        /// How many projection keys the replay produced.
        public var keyCount: Int
        /// The keys where live and rebuilt disagreed, by name; empty when they match.
        public var differences: [ProjectionDifference]
        /// Whether `differences` were applied to the live projections.
        public var isRepaired: Bool

        /// Whether the live projections equal the replay of the log.
        public var isMatch: Bool { differences.isEmpty }
    }

    /// The store whose log is replayed and whose projections are compared.
    public var store: EventStore
    /// Events per `replay.lua` call.
    public var batchSize: Int
    /// How many times to read the live keys again when events arrive meanwhile.
    public var maxAttempts: Int

    /// Creates a replay of `store`.
    public init(store: EventStore, batchSize: Int = 500, maxAttempts: Int = 10) {
        self.store = store
        self.batchSize = batchSize
        self.maxAttempts = maxAttempts
    }

    /// Compares the live projections with a replay of the log; writes nothing live.
    ///
    /// O(events + projection keys), in batched round trips.
    /// - Throws: `ReplayError` when Redis fails, the prefix is empty, or the log never held still.
    public func check() async throws(ReplayError) -> Report {
        try await withScratchPrefix { scratch throws(ReplayError) in try await compare(into: scratch, repairing: false) }
    }

    /// Makes the live projections equal to a replay of the log: keys that differ or are
    /// missing get the rebuilt content (COPY … REPLACE), keys nothing in the log writes are
    /// deleted. The log itself is never touched.
    /// - Throws: `ReplayError` as `check()`.
    public func repair() async throws(ReplayError) -> Report {
        try await withScratchPrefix { scratch throws(ReplayError) in try await compare(into: scratch, repairing: true) }
    }

    private func withScratchPrefix(_ body: (String) async throws(ReplayError) -> Report) async throws(ReplayError) -> Report {
        guard !store.keyPrefix.isEmpty else {
            throw ReplayError(.emptyKeyPrefix, "replay needs a key prefix: with none, every key of the database would count as a projection")
        }
        let scratch = store.makeScratchPrefix()
        let result: Result<Report, ReplayError>
        do {
            result = .success(try await body(scratch))
        } catch {
            result = .failure(error)
        }
        // A task of its own, so a cancelled command still removes its scratch keys.
        let store = self.store
        let cleanup = await Task { try await store.deleteKeys(under: scratch) }.result
        if case .failure(let error) = cleanup, case .success = result {
            throw ReplayError(.storeFailure, "deleting the scratch keys under \(scratch) failed: \(error)", underlying: error as? StoreError)
        }
        return try result.get()
    }

    private func compare(into scratch: String, repairing: Bool) async throws(ReplayError) -> Report {
        do {
            var replayed = EventStore.ReplayProgress(lastEventID: nil, eventCount: 0)
            for _ in 0..<maxAttempts {
                guard !Task.isCancelled else { throw ReplayError(.cancelled, "the replay was interrupted") }
                let step = try await store.replay(into: scratch, after: replayed.lastEventID ?? .zero, batchSize: batchSize)
                replayed.eventCount += step.eventCount
                replayed.lastEventID = step.lastEventID ?? replayed.lastEventID
                let live = try await ProjectionSnapshot.read(under: store.keyPrefix, in: store)
                // An event appended while the live keys were read: catch up and read again.
                guard try await store.head() == replayed.lastEventID else { continue }
                let rebuilt = try await ProjectionSnapshot.read(under: scratch, in: store)
                var report = Report(
                    head: replayed.lastEventID,
                    eventCount: replayed.eventCount,
                    keyCount: rebuilt.values.count,
                    differences: live.differences(from: rebuilt),
                    isRepaired: false
                )
                if !repairing || report.isMatch { return report }
                guard try await apply(report.differences, from: scratch, at: replayed.lastEventID) else { continue }
                report.isRepaired = true
                return report
            }
        } catch let error as ReplayError {
            throw error
        } catch let error as StoreError {
            throw ReplayError(error)
        } catch {
            throw ReplayError(.storeFailure, "\(error)")
        }
        throw ReplayError(
            .logKeptGrowing,
            "events were appended during each of \(maxAttempts) attempts to compare; run it again when fewer arrive"
        )
    }

    /// Copies the rebuilt keys over the live ones and deletes live-only keys, in one
    /// MULTI/EXEC that runs only if the log's head is still `head`. Returns false if it moved.
    private func apply(_ differences: [ProjectionDifference], from scratch: String, at head: EventID?) async throws(StoreError) -> Bool {
        let live = store.keyPrefix
        let logKey = store.logKey
        var commands = [RedisCommand("MULTI")]
        for difference in differences {
            switch difference {
            case .onlyLive(let name, _):
                commands.append(RedisCommand("UNLINK", live + name))
            case .onlyRebuilt(let name, _), .differs(let name, _, _):
                commands.append(RedisCommand("COPY", scratch + name, live + name, "REPLACE"))
            }
        }
        commands.append(RedisCommand("EXEC"))
        let exec: RedisValue
        do {
            exec = try await store.pool.withConnection { connection throws(RedisError) -> RedisValue in
                _ = try await connection.send(RedisCommand("WATCH", logKey))
                let newest = try await connection.send(RedisCommand("XREVRANGE", logKey, "+", "-", "COUNT", "1"))
                guard newest.array?.first?.array?.first?.string == head?.description else {
                    _ = try await connection.send(RedisCommand("UNWATCH"))
                    return .null
                }
                return try await connection.pipeline(commands).last ?? .null
            }
        } catch {
            throw StoreError(error)
        }
        if exec.isNull { return false }  // the log moved: EXEC did nothing
        let failures = (exec.array ?? [exec]).compactMap { reply -> String? in
            if case .error(let message) = reply { return message }
            return nil
        }
        guard failures.isEmpty else {
            throw StoreError(.redis, "repairing the projections failed: \(failures.joined(separator: "; "))")
        }
        return true
    }
}
