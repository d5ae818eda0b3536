import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TesseraTestSupport
import Testing

@Suite(.redisServer) struct HealthRoutesTests {
    @Test func healthzAnswersWhileTheProcessRuns() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            let health = try await client.send(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(health.body == #"{"status":"ok"}"#)
            #expect(try await client.send(.get, "/readyz").status == .ok)
        }
        await test.shutdown()
    }

    @Test func readyzAnswers503WhenRedisIsUnreachable() async throws {
        let server = try await RedisServer.start()
        let test = try await TestNode.make(on: server)
        try await test.app.test(.router) { client in
            #expect(try await client.send(.get, "/readyz").status == .ok)
            await server.shutdown()
            let answer = try await client.send(.get, "/readyz")
            #expect(answer.status == .serviceUnavailable)
            #expect(answer.headers[.retryAfter] == "1")
        }
        await test.shutdown()
    }

    @Test func unknownRoutesAnswerInTheAPIErrorFormat() async throws {
        let test = try await TestNode.make()
        try await test.app.test(.router) { client in
            try await client.send(.get, "/no/such/route").expectError("not_found", .notFound)
        }
        await test.shutdown()
    }
}
