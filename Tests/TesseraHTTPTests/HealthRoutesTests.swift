import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import RedisClient
import TesseraHTTP
import TesseraStore
import TesseraTestSupport
import Testing

@Suite(.redisServer) struct HealthRoutesTests {
    @Test func healthzAnswersWhileTheProcessRuns() async throws {
        let store = EventStore(
            pool: RedisConnectionPool(configuration: try RedisServer.suite.configuration(), logger: Logger(label: "test")),
            keyPrefix: RedisServer.uniquePrefix(),
            logger: Logger(label: "test")
        )
        defer { Task { await store.pool.shutdown() } }
        let app = Application(router: TesseraApplication.makeRouter(store: store))
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func readyzAnswers503WhenRedisIsUnreachable() async throws {
        let server = try await RedisServer.start()
        let store = EventStore(
            pool: RedisConnectionPool(configuration: server.configuration(), logger: Logger(label: "test")),
            keyPrefix: RedisServer.uniquePrefix(),
            logger: Logger(label: "test")
        )
        let app = Application(router: TesseraApplication.makeRouter(store: store))
        try await app.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
            await server.shutdown()
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
            }
        }
        await store.pool.shutdown()
    }
}
