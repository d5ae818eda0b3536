import Logging
import NIOCore
import Synchronization

extension RedisConnectionPool {
    /// Whether `connection` still goes to the master: false once the sentinels announced another
    /// one (`+switch-master`). Always true for an endpoint that is not `redis-sentinel://`, and
    /// before any sentinel was heard. A caller that keeps a connection of its own (the log
    /// follower) checks this between commands and reconnects when it is false.
    public func isCurrentMaster(_ connection: RedisConnection) -> Bool {
        guard let master = state.withLock({ $0.announcedMaster }) else { return true }
        return connection.endpoint.address == .tcp(host: master.host, port: master.port)
    }

    /// Follows the sentinels' announcements until the pool shuts down: subscribes to
    /// `+switch-master` on one sentinel after another (the next when one fails), and on every
    /// announcement for `masterName` closes the pool's connections to any other server, so the next
    /// command connects to the new master. The master is asked for again on each subscription, so
    /// a switch while no sentinel was listened to is not missed.
    func watchSentinels(_ sentinels: [RedisEndpoint.Sentinel], masterName: String) async {
        var next = 0
        while !Task.isCancelled {
            let sentinel = sentinels[next % sentinels.count]
            next += 1
            do throws(RedisError) {
                let connection = try await RedisSentinel.connect(
                    to: sentinel,
                    configuration: configuration,
                    eventLoop: eventLoopGroup.next(),
                    logger: logger
                )
                if let master = try await RedisSentinel.masterAddress(on: connection, masterName: masterName) {
                    masterAnnounced(master, by: sentinel)
                }
                connection.subscribe(to: "+switch-master") { payload in
                    // "<name> <old-ip> <old-port> <new-ip> <new-port>"
                    let words = String(decoding: payload, as: UTF8.self).split(separator: " ")
                    guard words.count == 5, words[0] == masterName, let port = Int(words[4]) else { return }
                    self.masterAnnounced(RedisEndpoint.Sentinel(host: String(words[3]), port: port), by: sentinel)
                }
                await withTaskCancellationHandler {
                    await connection.waitUntilClosed()
                } onCancel: {
                    connection.close()
                }
                logger.debug("lost the sentinel subscription", metadata: ["tessera.redis.sentinel": "\(sentinel)"])
            } catch {
                logger.debug("cannot follow sentinel", metadata: ["tessera.redis.sentinel": "\(sentinel)", "tessera.error": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(next % sentinels.count == 0 ? 500 : 50))
        }
    }

    /// Records the master a sentinel named and closes the pool's connections to any other server.
    private func masterAnnounced(_ master: RedisEndpoint.Sentinel, by sentinel: RedisEndpoint.Sentinel) {
        let address = RedisEndpoint.Address.tcp(host: master.host, port: master.port)
        let (changed, stale) = state.withLock { state -> (Bool, [RedisConnection]) in
            let changed = state.announcedMaster != master
            state.announcedMaster = master
            var stale: [RedisConnection] = []
            for slot in state.slots {
                if case .connected(let connection) = slot, connection.endpoint.address != address { stale.append(connection) }
            }
            stale += state.idleLeases.filter { $0.endpoint.address != address }
            return (changed, stale)
        }
        if changed {
            logger.info(
                "the sentinels name the Redis master",
                metadata: ["tessera.redis.master": "\(master)", "tessera.redis.sentinel": "\(sentinel)"]
            )
        }
        let error = RedisError(.connectionLost, "the sentinels moved the Redis master to \(master); the connection was closed")
        for connection in stale {
            connection.close(with: error)
        }
    }
}
