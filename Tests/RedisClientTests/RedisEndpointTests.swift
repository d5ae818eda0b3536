import RedisClient
import Testing

@Suite struct RedisEndpointTests {
    @Test func parsesHostPortCredentialsAndDatabase() throws {
        let endpoint = try RedisEndpoint(url: "redis://app:s%40cret@cache.internal:6380/3")
        #expect(endpoint.address == .tcp(host: "cache.internal", port: 6380))
        #expect(endpoint.username == "app")
        #expect(endpoint.password == "s@cret")
        #expect(endpoint.database == 3)
    }

    @Test func passwordOnlyAndDefaultPort() throws {
        let endpoint = try RedisEndpoint(url: "redis://:pw@localhost")
        #expect(endpoint.address == .tcp(host: "localhost", port: 6379))
        #expect(endpoint.username == nil)
        #expect(endpoint.password == "pw")
        #expect(endpoint.database == 0)
    }

    @Test func parsesUnixSocketWithDatabase() throws {
        let endpoint = try RedisEndpoint(url: "unix:///tmp/tsr-x/redis.sock?db=2")
        #expect(endpoint.address == .unix(path: "/tmp/tsr-x/redis.sock"))
        #expect(endpoint.database == 2)
    }

    @Test func parsesASentinelURL() throws {
        let endpoint = try RedisEndpoint(url: "redis-sentinel://app:s%40cret@s1.internal:26380,[::1],s3/my-master/4")
        let sentinels = [
            RedisEndpoint.Sentinel(host: "s1.internal", port: 26380),
            RedisEndpoint.Sentinel(host: "::1", port: 26379),
            RedisEndpoint.Sentinel(host: "s3", port: 26379),
        ]
        #expect(endpoint.address == .sentinel(sentinels: sentinels, masterName: "my-master"))
        #expect(endpoint.username == "app")
        #expect(endpoint.password == "s@cret")
        #expect(endpoint.database == 4)
        #expect(endpoint.description == "master 'my-master' of sentinels s1.internal:26380,[::1]:26379,s3:26379")
        #expect(try RedisEndpoint(url: "redis-sentinel://h/m").database == 0)
    }

    @Test(arguments: [
        "redis-sentinel://h1,h2", "redis-sentinel://h1,h2/", "redis-sentinel://h1,,h2/m", "redis-sentinel://h1:0/m", "redis-sentinel://h/m/x",
    ])
    func rejectsMalformedSentinelURLs(url: String) {
        #expect(throws: RedisError.self) { try RedisEndpoint(url: url) }
    }

    @Test func aSentinelURLsPasswordIsRedacted() {
        do {
            _ = try RedisEndpoint(url: "redis-sentinel://app:topsecret@h1,h2")
            Issue.record("expected an error")
        } catch {
            #expect(!error.message.contains("topsecret"), "\(error.message)")
            #expect(error.message.contains("redis-sentinel://app:***@h1,h2"), "\(error.message)")
        }
    }

    @Test(arguments: ["http://localhost:6379", "redis://", "redis://host:notaport", "redis://host:70000", "redis://host/x", "unix://relative"])
    func rejectsMalformedURLs(url: String) {
        #expect(throws: RedisError.self) { try RedisEndpoint(url: url) }
    }

    @Test func errorMessageNeverShowsThePassword() {
        do {
            _ = try RedisEndpoint(url: "redis://user:topsecret@host:bad")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidURL)
            #expect(!error.message.contains("topsecret"))
        }
    }

    @Test(arguments: [
        "unix:///tmp/tsr-x/redis.sock?password=topsecret&db=x",
        "unix:///tmp/tsr-x/redis.sock?db=x&password=top%40secret",
        "unix:///tmp/tsr-x/redis.sock?password=top@secret&db=-1",
        "redis://:top@secret@host:bad",
        "rediss://user:topsecret@host",
    ])
    func errorMessageNeverShowsAPasswordOfAnyForm(url: String) {
        do {
            _ = try RedisEndpoint(url: url)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidURL)
            #expect(!error.message.contains("secret"), "\(error.message)")
            #expect(error.message.contains("***"), "\(error.message)")
        }
    }
}
