import HTTPTypes
import TesseraHTTP
import Testing

@Suite struct ClientAddressTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1", "192.0.2.1"),
        ("::1", "::1", "::/64"),
        ("2001:DB8::A", "2001:db8::a", "2001:db8::/64"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", "2001:db8::/64"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1", "192.0.2.1"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221", "64:ff9b::/64"),
        ("fe80::", "fe80::", "fe80::/64"),
    ])
    func addressesParseToTheirUsualTextAndRateLimitKey(text: String, canonical: String, key: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == canonical)
        #expect(address.rateLimitKey == key)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3",
        "12345::", "g::", "fe80::1%eth0", "[::1]", "::1:", ":1::", "unknown", "1.2.3.4:80",
    ])
    func malformedAddressesDoNotParse(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func networksContainTheirAddressesOnly() throws {
        let v4 = try IPNetwork(parsing: "10.0.0.0/8")
        #expect(v4.contains(IPAddress("10.255.1.2")!))
        #expect(!v4.contains(IPAddress("11.0.0.1")!))
        #expect(v4.contains(IPAddress("::ffff:10.0.0.1")!), "an IPv4-mapped peer is its IPv4 address")
        let v6 = try IPNetwork(parsing: " 2001:db8::/32 ")
        #expect(v6.contains(IPAddress("2001:db8:ffff::1")!))
        #expect(!v6.contains(IPAddress("2001:db9::1")!))
        #expect(!v6.contains(IPAddress("10.0.0.1")!))
        #expect(try IPNetwork(parsing: "192.0.2.7").description == "192.0.2.7/32")
        #expect(try IPNetwork(parsing: "0.0.0.0/0").contains(IPAddress("203.0.113.1")!))
        #expect(try IPNetwork(parsing: "172.16.0.0/12").contains(IPAddress("172.31.255.255")!))
    }

    @Test(arguments: [
        ("10.0.0.1/8", "'10.0.0.1/8' has host bits set; the network is 10.0.0.0/8"),
        ("10.0.0.0/33", "'10.0.0.0/33': the prefix length must be a number within 0...32"),
        ("2001:db8::/129", "'2001:db8::/129': the prefix length must be a number within 0...128"),
        ("10.0.0.0/", "'10.0.0.0/': the prefix length must be a number within 0...32"),
        ("10.0.0.0/+8", "'10.0.0.0/+8': the prefix length must be a number within 0...32"),
        ("proxy.internal", "'proxy.internal' is not an IPv4 or IPv6 address or network in CIDR notation (e.g. 10.0.0.0/8, 2001:db8::/32)"),
        ("", "'' is not an IPv4 or IPv6 address or network in CIDR notation (e.g. 10.0.0.0/8, 2001:db8::/32)"),
    ])
    func badNetworksAreRefusedSayingWhy(text: String, message: String) {
        #expect(throws: IPNetworkError.self) { try IPNetwork(parsing: text) }
        do {
            _ = try IPNetwork(parsing: text)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func theClientIsTheRightmostUntrustedHopAndOnlyATrustedPeerIsBelieved() throws {
        let resolver = ClientAddressResolver(trustedProxies: [try IPNetwork(parsing: "10.0.0.0/8")])
        let proxy = IPAddress("10.0.0.1")
        let stranger = IPAddress("198.51.100.1")
        let xff = HTTPField.Name("X-Forwarded-For")!
        let forwarded = HTTPField.Name("Forwarded")!
        func client(_ peer: IPAddress?, _ headers: HTTPFields) -> String? { resolver.client(peer: peer, headers: headers)?.description }

        #expect(client(proxy, [xff: "203.0.113.5"]) == "203.0.113.5")
        #expect(client(proxy, [xff: "1.1.1.1, 203.0.113.5, 10.9.9.9"]) == "203.0.113.5")
        #expect(client(proxy, [xff: "10.2.2.2, 10.9.9.9"]) == "10.2.2.2", "every hop trusted: the leftmost")
        #expect(client(proxy, [xff: "garbage, 203.0.113.5"]) == "203.0.113.5")
        #expect(client(proxy, [xff: "203.0.113.5, unknown"]) == "10.0.0.1", "an unknown hop ends the walk at the last trusted one")
        #expect(client(proxy, [xff: "203.0.113.5:4711"]) == "203.0.113.5")
        #expect(client(proxy, [xff: "[2001:db8::1]:4711"]) == "2001:db8::1")
        #expect(client(proxy, [:]) == "10.0.0.1")
        #expect(client(stranger, [xff: "203.0.113.5"]) == "198.51.100.1", "an untrusted peer's header is ignored")
        #expect(client(stranger, [forwarded: "for=203.0.113.5"]) == "198.51.100.1")
        #expect(client(nil, [xff: "203.0.113.5"]) == nil)

        #expect(client(proxy, [forwarded: #"for=192.0.2.60;proto=http;by=203.0.113.43"#]) == "192.0.2.60")
        #expect(client(proxy, [forwarded: #"for="[2001:db8:cafe::17]:4711", for=10.3.3.3"#]) == "2001:db8:cafe::17")
        #expect(client(proxy, [forwarded: #"For="_hidden", for=203.0.113.9"#]) == "203.0.113.9")
        #expect(client(proxy, [forwarded: #"for=203.0.113.9;by="a,b", for=10.3.3.3"#]) == "203.0.113.9", "a quoted comma splits nothing")
        #expect(client(proxy, [forwarded: "for=192.0.2.1", xff: "203.0.113.5"]) == "192.0.2.1", "Forwarded wins")
        #expect(client(proxy, [forwarded: "proto=https", xff: "203.0.113.5"]) == "203.0.113.5", "no for=: X-Forwarded-For")
    }
}
