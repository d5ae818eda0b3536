public import Testing

/// A suite trait that starts one real `redis-server` for the suite and stops it afterwards.
///
/// Tests read it as `RedisServer.current` and keep to their own key prefix
/// (`RedisServer.uniquePrefix()`), so they run in parallel against one server.
public struct RedisServerTrait: SuiteTrait, TestScoping {
    public var isRecursive: Bool { false }

    public func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await RedisServer.start()
        do {
            try await RedisServer.$current.withValue(server) { try await function() }
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }
}

extension Trait where Self == RedisServerTrait {
    /// Runs the suite against a real `redis-server` of its own.
    public static var redisServer: RedisServerTrait { RedisServerTrait() }
}

extension RedisServer {
    /// The server of the enclosing suite's `.redisServer` trait.
    @TaskLocal public static var current: RedisServer?

    /// The suite's server; fails the test clearly when the suite lacks the `.redisServer` trait.
    public static var suite: RedisServer {
        get throws {
            guard let current else { throw TestSupportError("this suite has no .redisServer trait") }
            return current
        }
    }
}
