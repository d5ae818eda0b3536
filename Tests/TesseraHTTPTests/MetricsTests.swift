import HTTPTypes
import TesseraTestSupport
import Testing

/// `/metrics` of the real binary in a process of its own, so that every count is this node's
/// alone (swift-metrics is process-wide: in the test process every node's counters share one
/// registry) and can be checked for its value, not only its presence.
@Suite(.redisServer) struct MetricsTests {
    @Test func metricsCountExactlyThisNodesRequestsVerifyResultsEventsAndView() async throws {
        let server = try RedisServer.suite
        let serve = try await ServeProcess.start(
            arguments: ["--redis", server.url, "--key-prefix", RedisServer.uniquePrefix("metrics")],
            environment: ["TESSERA_HS256_SECRET": String(decoding: TestNode.secret, as: UTF8.self)],
            logPath: server.directory + "/tessera-metrics.log"
        )
        do {
            try await serve.withConnection { client in
                let registered = try await client.postJSON("/users", #"{"username":"measured","password":"correct horse battery"}"#)
                #expect(registered.status == .created)
                let token = try #require(try await client.login("measured").string("access_token"))
                for _ in 0..<3 { #expect(try await client.send(.get, "/auth/verify", headers: bearer(token)).status == .ok) }
                for _ in 0..<2 { #expect(try await client.send(.get, "/auth/verify", headers: bearer("garbage")).status == .unauthorized) }
                #expect(try await client.send(.get, "/auth/verify").status == .unauthorized)
                #expect(try await client.send(.post, "/logout", headers: bearer(token)).status == .noContent)
                #expect(try await client.send(.get, "/auth/verify", headers: bearer(token)).status == .unauthorized)

                // The follower counts what it reads from the log: wait until it has read the logout.
                var scrape = Scrape("")
                let followed = try await waitUntil {
                    scrape = Scrape(try await client.send(.get, "/metrics").body)
                    return scrape["tessera_events_total", ["type": "SessionRevoked"]] == 1
                }
                #expect(followed != nil, "the follower never counted the SessionRevoked")
                #expect(scrape["tessera_verify_total", ["result": "ok"]] == 4, "3 verifies and the logout's own check")
                #expect(scrape["tessera_verify_total", ["result": "malformed"]] == 2)
                #expect(scrape["tessera_verify_total", ["result": "missing"]] == 1)
                #expect(scrape["tessera_verify_total", ["result": "session_revoked"]] == 1)
                #expect(scrape["tessera_events_total", ["type": "UserRegistered"]] == 1)
                #expect(scrape["tessera_events_total", ["type": "LoginSucceeded"]] == 1)
                #expect(scrape["tessera_revocation_view_entries"] == 1)
                let lag = try #require(scrape["tessera_revocation_view_lag_seconds"])
                #expect(lag >= 0 && lag <= 2)
                let verify = ["http_route": "/auth/verify", "http_request_method": "GET"]
                #expect(scrape["hb_requests", verify.merging(["http_response_status_code": "200"]) { $1 }] == 3)
                #expect(scrape["hb_requests", verify.merging(["http_response_status_code": "401"]) { $1 }] == 4)
                #expect(scrape["hb_requests", ["http_route": "/token", "http_request_method": "POST", "http_response_status_code": "200"]] == 1)
            }
        } catch {
            await serve.stop()
            throw error
        }
        #expect(await serve.stop() == 0, "serve exits 0 on SIGTERM")
    }
}

/// One scrape of `/metrics` in the Prometheus text format.
struct Scrape {
    var samples: [(name: String, labels: [String: String], value: Double)] = []

    init(_ text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else {
                samples.append((String(series), [:], value))
                continue
            }
            var labels: [String: String] = [:]
            for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            samples.append((String(series[..<brace]), labels, value))
        }
    }

    /// The value of the sample with exactly these labels.
    subscript(name: String, labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}
