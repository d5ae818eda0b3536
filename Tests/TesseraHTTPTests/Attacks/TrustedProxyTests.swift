import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraStore
import TesseraTestSupport
import Testing

/// The per-IP failure limit behind a reverse proxy, over real HTTP: this test is the proxy on
/// 127.0.0.1, setting `X-Forwarded-For` / `Forwarded` as nginx would.
@Suite(.redisServer) struct TrustedProxyTests {
    static let loopback = [try! IPNetwork(parsing: "127.0.0.1/32"), try! IPNetwork(parsing: "::1")]
    static let xff = HTTPField.Name("X-Forwarded-For")!
    static let forwarded = HTTPField.Name("Forwarded")!

    /// A failed login of a name nobody has (no name lockout, one check each) from `headers`.
    static func fail(_ client: some TestClientProtocol, _ index: Int, headers: HTTPFields) async throws -> Answer {
        try await client.postForm(
            "/token",
            [("grant_type", "password"), ("username", "nobody\(index)"), ("password", "wrong password")],
            headers: headers
        )
    }

    @Test func behindATrustedProxyOneClientsFailuresDoNotBlockAnother() async throws {
        let test = try await TestNode.make(trustedProxies: Self.loopback + [try IPNetwork(parsing: "10.0.0.0/8")])
        #expect(test.node.configuration.lockout.ipFailureLimit == 100)
        try await test.app.test(.live) { client in
            try await client.registerUser("bystander")
            let attacker: HTTPFields = [Self.xff: "203.0.113.7"]
            for index in 0..<100 {
                try await Self.fail(client, index, headers: attacker).expectError("invalid_grant", .badRequest)
            }
            try await Self.fail(client, 100, headers: attacker).expectError("too_many_requests", .tooManyRequests)
            // The same client however the proxies name it: through Forwarded, through a second
            // trusted proxy, and with an address of its own choosing put in front.
            for headers: HTTPFields in [
                [Self.forwarded: #"for=203.0.113.7;proto=https, for="[::1]:8443""#],
                [Self.xff: "203.0.113.7, 10.1.2.3"],
                [Self.xff: "198.51.100.9, 203.0.113.7"],
                [Self.xff: "198.51.100.9", Self.xff: "203.0.113.7"],
            ] {
                try await Self.fail(client, 101, headers: headers).expectError("too_many_requests", .tooManyRequests)
            }

            // Another client behind the same proxy logs in, and its session shows its own address.
            let other = try await client.postForm(
                "/token",
                [("grant_type", "password"), ("username", "bystander"), ("password", "correct horse battery")],
                headers: [Self.xff: "198.51.100.9"]
            )
            #expect(other.status == .ok, "body: \(other.body)")
            let token = try #require(other.string("access_token"))
            let sessions = try await client.send(.get, "/users/me/sessions", headers: bearer(token))
            let listed = try #require(sessions.json["sessions"] as? [[String: Any]])
            #expect(listed.first?["ip"] as? String == "198.51.100.9")
            // So does the proxy itself, sending without forwarding headers.
            #expect(try await client.login("bystander").status == .ok)
        }
        await test.shutdown()
    }

    @Test func forwardingHeadersFromAnUntrustedPeerAreIgnored() async throws {
        // A trusted proxy is configured, but it is not the peer (127.0.0.1).
        let test = try await TestNode.make(trustedProxies: [try IPNetwork(parsing: "10.0.0.0/8")]) {
            $0.lockout.threshold = 0
            $0.lockout.ipFailureLimit = 5
        }
        try await test.app.test(.live) { client in
            try await client.registerUser("spoofer")
            let spoofed = try await client.postForm(
                "/token",
                [("grant_type", "password"), ("username", "spoofer"), ("password", "correct horse battery")],
                headers: [Self.xff: "6.6.6.6"]
            )
            let token = try #require(spoofed.string("access_token"))
            let listed = try await client.send(.get, "/users/me/sessions", headers: bearer(token)).json["sessions"] as? [[String: Any]]
            #expect(listed?.first?["ip"] as? String == "127.0.0.1")

            // Each failure claims another address; all count against the peer.
            for index in 0..<5 {
                let headers: HTTPFields = [Self.xff: "192.0.2.\(index + 1)", Self.forwarded: "for=192.0.2.\(index + 100)"]
                try await Self.fail(client, index, headers: headers).expectError("invalid_grant", .badRequest)
            }
            let blocked = try await client.postForm(
                "/token",
                [("grant_type", "password"), ("username", "spoofer"), ("password", "correct horse battery")],
                headers: [Self.xff: "192.0.2.200"]
            )
            blocked.expectError("too_many_requests", .tooManyRequests)
        }
        await test.shutdown()
    }

    @Test func twoIPv6AddressesInOneSlash64ShareABudget() async throws {
        let test = try await TestNode.make(trustedProxies: Self.loopback) {
            $0.lockout.threshold = 0
            $0.lockout.ipFailureLimit = 5
        }
        try await test.app.test(.live) { client in
            for index in 0..<5 {
                try await Self.fail(client, index, headers: [Self.xff: "2001:db8:1:2::a"]).expectError("invalid_grant", .badRequest)
            }
            // Another address of the same /64, however written.
            for headers: HTTPFields in [
                [Self.xff: "2001:db8:1:2:ffff:ffff:ffff:b"],
                [Self.forwarded: #"for="[2001:DB8:1:2::c]:4711""#],
                [Self.xff: "2001:0db8:0001:0002:0000:0000:0000:000d"],
            ] {
                try await Self.fail(client, 5, headers: headers).expectError("too_many_requests", .tooManyRequests)
            }
            // The next /64 and IPv4 clients have budgets of their own.
            try await Self.fail(client, 6, headers: [Self.xff: "2001:db8:1:3::a"]).expectError("invalid_grant", .badRequest)
            try await Self.fail(client, 7, headers: [Self.xff: "192.0.2.1"]).expectError("invalid_grant", .badRequest)
        }
        await test.shutdown()
    }
}
