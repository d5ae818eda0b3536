import RedisClient

extension EventStore {
    /// Ends a reserved password check that will not be settled (the hasher refused the work):
    /// it no longer counts against the name or the client. Writes no event.
    public func releasePasswordCheck(_ reservation: ReservePasswordCheck.Reservation) async throws(StoreError) {
        var commands = [RedisCommand("ZREM", key("attempts", reservation.username), reservation.token)]
        if !reservation.client.isEmpty {
            commands.append(RedisCommand("ZREM", key("ip-attempts", reservation.client), reservation.token))
        }
        _ = try await pipeline(commands)
    }
}
