import RedisClient

/// Every projection key under one prefix with its content, read by type.
///
/// Projection keys are the keys under the prefix except the log itself (`events`) and the
/// ephemeral keys that no event's projection writes: `grace:*` (the refresh-reuse grace cache,
/// a TTL key of `refresh.lua`), anything starting with `node` (the node registry), and the
/// rate-limit windows of the login scripts (`failures:*`, `ip-failures:*`, `attempts:*`,
/// `ip-attempts:*`). Names are the key names with the prefix taken off.
public struct ProjectionSnapshot: Sendable, Equatable {
    /// The prefix the keys were read under.
    public var prefix: String
    /// The content of each projection key, by name without the prefix.
    public var values: [String: ProjectionValue]

    /// Creates a snapshot.
    public init(prefix: String, values: [String: ProjectionValue]) {
        self.prefix = prefix
        self.values = values
    }

    /// Whether a key name (without the prefix) is a projection: derived from the log, and so
    /// part of a comparison with a replay.
    public static func isProjection(_ name: String) -> Bool {
        name != "events" && !name.hasPrefix("node") && !ephemeralPrefixes.contains { name.hasPrefix($0) }
    }

    private static let ephemeralPrefixes = ["grace:", "failures:", "ip-failures:", "attempts:", "ip-attempts:"]

    /// Reads every projection key under `prefix`: SCAN, then TYPE and the reads pipelined,
    /// `batchSize` keys per round trip.
    ///
    /// Not atomic: keys written while it runs may be read before or after the write. Callers
    /// that need a consistent view check that the log's head did not move meanwhile.
    /// - Throws: `StoreError` when Redis fails or a key changes type while it is read.
    public static func read(under prefix: String, in store: EventStore, batchSize: Int = 500) async throws(StoreError) -> ProjectionSnapshot {
        var names = Set<String>()  // SCAN may return a key twice
        var cursor = "0"
        repeat {
            let (next, keys) = try await store.scan(cursor, matching: prefix)
            for key in keys where key.utf8.starts(with: prefix.utf8) {
                let name = String(decoding: key.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
                if isProjection(name) { names.insert(name) }
            }
            cursor = next
        } while cursor != "0"

        var values: [String: ProjectionValue] = [:]
        let sorted = names.sorted()
        var start = 0
        while start < sorted.count {
            let batch = Array(sorted[start..<min(start + batchSize, sorted.count)])
            for (name, value) in try await read(batch, under: prefix, in: store) { values[name] = value }
            start += batch.count
        }
        return ProjectionSnapshot(prefix: prefix, values: values)
    }

    private static func read(_ names: [String], under prefix: String, in store: EventStore) async throws(StoreError) -> [(String, ProjectionValue)] {
        let types = try await store.pipeline(names.map { RedisCommand("TYPE", prefix + $0) })
        var reads: [(name: String, type: String, command: RedisCommand)] = []
        for (name, typeReply) in zip(names, types) {
            let key = prefix + name
            let command: RedisCommand
            switch typeReply.string {
            case "string": command = RedisCommand("GET", key)
            case "hash": command = RedisCommand("HGETALL", key)
            case "set": command = RedisCommand("SMEMBERS", key)
            case "zset": command = RedisCommand("ZRANGE", key, "0", "-1", "WITHSCORES")
            case "list": command = RedisCommand("LRANGE", key, "0", "-1")
            case "stream": command = RedisCommand("XRANGE", key, "-", "+")
            case "none": continue  // deleted since the SCAN
            default: throw StoreError(.corruptData, "key \(key) has an unexpected type \(typeReply)")
            }
            reads.append((name, typeReply.string ?? "", command))
        }
        let replies = try await store.pipeline(reads.map(\.command))
        var values: [(String, ProjectionValue)] = []
        for (read, reply) in zip(reads, replies) {
            if case .error(let message) = reply {
                throw StoreError(.corruptData, "reading \(prefix + read.name) failed: \(message)")
            }
            if reply.isNull { continue }
            values.append((read.name, try value(of: read.type, from: reply, key: prefix + read.name)))
        }
        return values
    }

    private static func value(of type: String, from reply: RedisValue, key: String) throws(StoreError) -> ProjectionValue {
        let malformed = StoreError(.corruptData, "unexpected reply shape for \(type) key \(key)")
        if type == "string" {
            guard let text = reply.string else { throw malformed }
            return .string(text)
        }
        guard let items = reply.array else { throw malformed }
        switch type {
        case "hash": return .hash(try fields(items, of: key).sorted { $0.name < $1.name })
        case "set": return .set(items.compactMap(\.string).sorted())
        case "zset": return .sortedSet(try fields(items, of: key))
        case "list": return .list(items.compactMap(\.string))
        default:
            var entries: [ProjectionValue.StreamEntry] = []
            for item in items {
                guard let pair = item.array, pair.count == 2, let id = pair[0].string, let flat = pair[1].array else { throw malformed }
                entries.append(ProjectionValue.StreamEntry(id: id, fields: try fields(flat, of: key)))
            }
            return .stream(entries)
        }
    }

    /// Pairs a flat `[name, value, name, value, ...]` reply.
    private static func fields(_ flat: [RedisValue], of key: String) throws(StoreError) -> [ProjectionValue.Field] {
        guard flat.count % 2 == 0 else { throw StoreError(.corruptData, "odd field list in \(key)") }
        return stride(from: 0, to: flat.count, by: 2).map { index in
            ProjectionValue.Field(flat[index].string ?? "", flat[index + 1].string ?? "")
        }
    }

    /// What differs between this (live) snapshot and one rebuilt from the log, by key name.
    public func differences(from rebuilt: ProjectionSnapshot) -> [ProjectionDifference] {
        var differences: [ProjectionDifference] = []
        for name in Set(values.keys).union(rebuilt.values.keys).sorted() {
            switch (values[name], rebuilt.values[name]) {
            case (let live?, nil): differences.append(.onlyLive(name, live))
            case (nil, let replayed?): differences.append(.onlyRebuilt(name, replayed))
            case (let live?, let replayed?) where live != replayed: differences.append(.differs(name, live: live, rebuilt: replayed))
            default: break
            }
        }
        return differences
    }
}
