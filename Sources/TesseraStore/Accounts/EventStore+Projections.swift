import RedisClient
public import TesseraCore

/// Readers of the projection keys. Each is one round trip (or one pipeline) and never writes.
extension EventStore {
    /// The user with this id, or nil.
    public func user(id: String) async throws(StoreError) -> UserRecord? {
        UserRecord(fields: try await hash(key("user", id)))
    }

    /// The user with this username (matched case-insensitively), or nil.
    public func user(named username: String) async throws(StoreError) -> UserRecord? {
        guard let id = try await value(RedisCommand("GET", key("username", username.lowercased()))).string else { return nil }
        return try await user(id: id)
    }

    /// The session with this id, live or not, or nil.
    public func session(id: String) async throws(StoreError) -> SessionRecord? {
        SessionRecord(fields: try await hash(key("session", id)))
    }

    /// The session a refresh token (by its hash) belongs to, live or not, or nil.
    public func session(refreshHash: String) async throws(StoreError) -> SessionRecord? {
        guard let sid = try await value(RedisCommand("GET", key("refresh", refreshHash))).string else { return nil }
        return try await session(id: sid)
    }

    /// Ids of a user's events before `before` (exclusive), newest first, at most `limit`.
    public func userEventIDs(userID: String, before: EventID?, limit: Int) async throws(StoreError) -> [EventID] {
        let end = before.map { "(" + $0.description } ?? "+"
        let reply = try await value(RedisCommand("XREVRANGE", key("user-events", userID), end, "-", "COUNT", String(limit)))
        return (reply.array ?? []).compactMap { $0.array?.first?.string.flatMap(EventID.init) }
    }

    /// The live sessions of a user, newest first.
    public func liveSessions(ofUser userID: String, now: Int64) async throws(StoreError) -> [SessionRecord] {
        let ids =
            try await value(RedisCommand("ZRANGEBYSCORE", key("sessions", userID), "(" + String(now), "+inf")).array?.compactMap(\.string) ?? []
        guard !ids.isEmpty else { return [] }
        let replies = try await pipeline(ids.map { RedisCommand("HGETALL", key("session", $0)) })
        return replies.compactMap { SessionRecord(fields: Self.fields(of: $0)) }
            .filter { $0.isLive(now: now) }
            .sorted { ($0.createdAt, $0.sessionID) > ($1.createdAt, $1.sessionID) }
    }

    private func hash(_ key: String) async throws(StoreError) -> [String: String] {
        Self.fields(of: try await value(RedisCommand("HGETALL", key)))
    }
}
