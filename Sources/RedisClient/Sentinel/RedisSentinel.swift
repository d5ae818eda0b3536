public import Logging
public import NIOCore

/// Finding the master of a `redis-sentinel://` endpoint: ask each sentinel in turn for the address
/// of the master it knows by name (`SENTINEL get-master-addr-by-name`), connect, and check with
/// `ROLE` that the server is a master indeed (a sentinel's answer may be stale for a moment).
enum RedisSentinel {
    /// Connects to the master the sentinels name now, or throws `.connectionFailed` saying why none
    /// could be found: no sentinel answered, none knows the name, or the one named is no master.
    static func connectToMaster(
        configuration: RedisConfiguration,
        sentinels: [RedisEndpoint.Sentinel],
        masterName: String,
        eventLoop: any EventLoop,
        logger: Logger
    ) async throws(RedisError) -> RedisConnection {
        let master = try await masterAddress(
            configuration: configuration,
            sentinels: sentinels,
            masterName: masterName,
            eventLoop: eventLoop,
            logger: logger
        )
        var direct = configuration
        direct.endpoint.address = .tcp(host: master.host, port: master.port)
        let connection = try await RedisConnection.connect(configuration: direct, eventLoop: eventLoop, logger: logger)
        let role: RedisValue
        do throws(RedisError) {
            role = try await connection.send(RedisCommand("ROLE"))
        } catch {
            connection.close()
            throw error
        }
        guard let kind = role.array?.first?.string, kind == "master" else {
            connection.close()
            throw RedisError(
                .connectionFailed,
                "the sentinels name \(direct.endpoint) as master '\(masterName)', but its ROLE is \(role.array?.first?.string ?? "\(role)")"
            )
        }
        return connection
    }

    /// The master's host and port, from the first sentinel that knows it.
    static func masterAddress(
        configuration: RedisConfiguration,
        sentinels: [RedisEndpoint.Sentinel],
        masterName: String,
        eventLoop: any EventLoop,
        logger: Logger
    ) async throws(RedisError) -> RedisEndpoint.Sentinel {
        var failures: [String] = []
        for sentinel in sentinels {
            do throws(RedisError) {
                let connection = try await connect(to: sentinel, configuration: configuration, eventLoop: eventLoop, logger: logger)
                defer { connection.close() }
                if let master = try await masterAddress(on: connection, masterName: masterName) { return master }
                failures.append("\(sentinel) knows no master '\(masterName)'")
            } catch {
                failures.append(error.message)
            }
        }
        throw RedisError(.connectionFailed, "no sentinel named the master '\(masterName)': \(failures.joined(separator: "; "))")
    }

    /// Asks one sentinel; nil when it does not know the name.
    static func masterAddress(on connection: RedisConnection, masterName: String) async throws(RedisError) -> RedisEndpoint.Sentinel? {
        let reply = try await connection.send(RedisCommand("SENTINEL", "get-master-addr-by-name", masterName))
        if case .error(let message) = reply {
            throw RedisError(.serverError, "sentinel \(connection.endpoint) refused get-master-addr-by-name: \(message)")
        }
        guard let parts = reply.array, parts.count == 2, let host = parts[0].string, let port = parts[1].int.map(Int.init) else {
            return nil
        }
        return RedisEndpoint.Sentinel(host: host, port: port)
    }

    /// A connection to one sentinel. The URL's credentials are the master's; they are sent to a
    /// sentinel only when it answers `-NOAUTH`, so sentinels without a password work as they are.
    static func connect(
        to sentinel: RedisEndpoint.Sentinel,
        configuration: RedisConfiguration,
        eventLoop: any EventLoop,
        logger: Logger
    ) async throws(RedisError) -> RedisConnection {
        var plain = configuration
        plain.endpoint = RedisEndpoint(address: .tcp(host: sentinel.host, port: sentinel.port))
        let connection = try await RedisConnection.connect(configuration: plain, eventLoop: eventLoop, logger: logger)
        do throws(RedisError) {
            guard case .error(let message) = try await connection.send(RedisCommand("PING")), message.hasPrefix("NOAUTH") else {
                return connection
            }
            guard let password = configuration.endpoint.password else {
                throw RedisError(.authenticationFailed, "sentinel \(sentinel) wants a password and the Redis URL has none")
            }
            let auth = RedisCommand("AUTH", [configuration.endpoint.username, password].compactMap { $0 })
            if case .error(let text) = try await connection.send(auth) {
                throw RedisError(.authenticationFailed, "sentinel \(sentinel) refused AUTH: \(text)")
            }
            return connection
        } catch {
            connection.close()
            throw error
        }
    }
}
