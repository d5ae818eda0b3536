import RedisClient
public import TesseraCore

extension EventStore {
    /// How far a replay got.
    public struct ReplayProgress: Sendable, Equatable {
        /// The newest event applied, or nil when none was.
        public var lastEventID: EventID?
        /// How many events were applied.
        public var eventCount: Int

        /// Creates a progress report.
        public init(lastEventID: EventID?, eventCount: Int) {
            self.lastEventID = lastEventID
            self.eventCount = eventCount
        }
    }

    /// Applies the events of this store's log after `start` to the projections under
    /// `scratchPrefix`, in log order, until it reaches the head of the log.
    ///
    /// Each batch runs `replay.lua`, which applies the events with `tessera.apply` of `lib.lua`,
    /// the code that projected them when they were appended, and with their original ids. The
    /// log and the live projections are only read. O(events after `start`), in round trips of
    /// `batchSize` events, so Redis is never blocked by one long script.
    /// - Throws: `StoreError` when Redis fails or a logged event does not decode.
    public func replay(
        into scratchPrefix: String,
        after start: EventID = .zero,
        batchSize: Int = 500
    ) async throws(StoreError) -> ReplayProgress {
        var progress = ReplayProgress(lastEventID: nil, eventCount: 0)
        var cursor = start
        while true {
            let reply = try ScriptReply(
                decoding: try await evaluate(.replay, [scratchPrefix, cursor.description, String(batchSize)]),
                script: .replay
            )
            guard case .appended(_, let values) = reply, let count = values["count"].flatMap({ Int($0) }) else {
                throw StoreError(.corruptData, "replay.lua answered \(reply.summary), which it never does")
            }
            guard let last = values["last"].flatMap(EventID.init) else { return progress }
            progress.lastEventID = last
            progress.eventCount += count
            cursor = last
        }
    }

    /// A fresh prefix for rebuilding this store's projections, disjoint from `keyPrefix`.
    ///
    /// Neither prefix is a prefix of the other, so a `SCAN MATCH` of either never sees the
    /// other's keys. `tessera:` gives `tessera-replay-<random>:` (the two first differ at the
    /// live prefix's trailing `:`). A prefix that does not end with `:` gives
    /// `~replay-<random>:`, or `!replay-<random>:` when it starts with `~`: they differ at the
    /// first character. An empty prefix has no disjoint partner; `ProjectionReplay` refuses it.
    public func makeScratchPrefix() -> String {
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        if keyPrefix.count > 1, keyPrefix.hasSuffix(":") {
            return String(keyPrefix.dropLast()) + "-replay-" + random + ":"
        }
        return (keyPrefix.hasPrefix("~") ? "!" : "~") + "replay-" + random + ":"
    }

    /// Deletes every key under `prefix` (SCAN + UNLINK, 1000 at a time); returns how many.
    ///
    /// For scratch prefixes only: it is no part of any command of a live deployment.
    /// - Throws: `StoreError` when Redis fails.
    @discardableResult
    public func deleteKeys(under prefix: String) async throws(StoreError) -> Int {
        var deleted = 0
        var cursor = "0"
        repeat {
            let (next, keys) = try await scan(cursor, matching: prefix)
            if !keys.isEmpty {
                _ = try await value(RedisCommand("UNLINK", keys))
                deleted += keys.count
            }
            cursor = next
        } while cursor != "0"
        return deleted
    }

    /// One SCAN step over the keys under `prefix`: the next cursor and the keys found.
    func scan(_ cursor: String, matching prefix: String) async throws(StoreError) -> (String, [String]) {
        let reply = try await value(RedisCommand("SCAN", cursor, "MATCH", Self.globEscaped(prefix) + "*", "COUNT", "1000"))
        guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let keys = parts[1].array else {
            throw StoreError(.corruptData, "SCAN returned a reply of unexpected shape")
        }
        return (next, keys.compactMap(\.string))
    }

    /// `text` with Redis glob's special characters (`*`, `?`, `[`, `]`, `\`) escaped.
    static func globEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "*?[]\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
