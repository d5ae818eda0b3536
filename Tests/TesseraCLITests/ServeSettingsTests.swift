import ArgumentParser
import Foundation
import Logging
import RedisClient
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraStore
import Testing

@testable import tessera

@Suite struct ServeSettingsTests {
    static let secret = "0123456789abcdef0123456789abcdef"
    /// base64url(SHA-256(secret)[0..<8]), computed with Python's hashlib.
    static let secretKID = "PrG9Q5lH63Y"
    static let secretWithNewlineKID = "btZlPbo9au4"

    let logger = Logger(label: "test")

    func settings(_ arguments: [String], _ environment: [String: String] = ["TESSERA_HS256_SECRET": secret]) throws -> ServeSettings {
        try ServeOptions.parse(arguments).makeSettings(environment: EnvironmentDefaults(environment), logger: logger)
    }

    func usageError(_ arguments: [String], _ environment: [String: String]) -> String? {
        do {
            _ = try settings(arguments, environment)
            return nil
        } catch let error as ValidationError {
            return error.message
        } catch {
            return "not a usage error: \(error)"
        }
    }

    @Test func replicaAcknowledgementAndSentinelSettings() throws {
        let defaults = try settings([])
        #expect(defaults.redis.minReplicasAck == 0, "by default a revocation waits for no replica")
        #expect(defaults.redis.replicaAckTimeout == .seconds(1))
        let flagged = try settings(["--min-replicas-ack", "2", "--replica-ack-timeout", "0.25"])
        #expect(flagged.redis.minReplicasAck == 2)
        #expect(flagged.redis.replicaAckTimeout == .milliseconds(250))
        let environment = [
            "TESSERA_HS256_SECRET": Self.secret, "TESSERA_MIN_REPLICAS_ACK": "1", "TESSERA_REPLICA_ACK_TIMEOUT": "3",
            "TESSERA_REDIS": "redis-sentinel://app:pw@10.0.0.1,10.0.0.2:26380/main/2",
        ]
        let fromEnvironment = try settings([], environment)
        #expect(fromEnvironment.redis.minReplicasAck == 1)
        #expect(fromEnvironment.redis.replicaAckTimeout == .seconds(3))
        let sentinels = [RedisEndpoint.Sentinel(host: "10.0.0.1", port: 26379), RedisEndpoint.Sentinel(host: "10.0.0.2", port: 26380)]
        #expect(fromEnvironment.redis.endpoint.address == .sentinel(sentinels: sentinels, masterName: "main"))
        #expect(fromEnvironment.redis.endpoint.database == 2)
        #expect(!fromEnvironment.redis.endpoint.description.contains("pw"))
        #expect(usageError(["--min-replicas-ack", "-1"], ["TESSERA_HS256_SECRET": Self.secret]) != nil)
        #expect(usageError(["--replica-ack-timeout", "0"], ["TESSERA_HS256_SECRET": Self.secret]) != nil)
    }

    @Test func flagBeatsEnvironmentWhichBeatsDefault() throws {
        let environment = [
            "TESSERA_HS256_SECRET": Self.secret, "TESSERA_PORT": "9002", "TESSERA_KEY_PREFIX": "env:", "TESSERA_LOCKOUT_THRESHOLD": "7",
            "TESSERA_REGISTRATION": "closed",
        ]
        let flagged = try settings(["--port", "9001", "--key-prefix", "flag:", "--lockout-threshold", "3", "--registration", "open"], environment)
        #expect(flagged.server.port == 9001)
        #expect(flagged.redis.keyPrefix == "flag:")
        #expect(flagged.configuration.lockout.threshold == 3)
        #expect(flagged.configuration.isRegistrationOpen)

        let fromEnvironment = try settings([], environment)
        #expect(fromEnvironment.server.port == 9002)
        #expect(fromEnvironment.redis.keyPrefix == "env:")
        #expect(fromEnvironment.configuration.lockout.threshold == 7)
        #expect(!fromEnvironment.configuration.isRegistrationOpen)

        let defaults = try settings([])
        #expect(defaults.server.host == "127.0.0.1")
        #expect(defaults.server.port == 8080)
        #expect(defaults.redis.keyPrefix == "tessera:")
        #expect(defaults.redis.endpoint.description == "127.0.0.1:6379")
        #expect(defaults.configuration.lockout == LockoutPolicy(threshold: 5, ipFailureLimit: 100))
        #expect(defaults.configuration.isRegistrationOpen)
        #expect(defaults.configuration.accessTokenTTL == .seconds(900))
        #expect(defaults.configuration.refreshTokenTTL == .seconds(2_592_000))
        #expect(defaults.configuration.refreshReuseGrace == .zero)
        #expect(defaults.configuration.maxRevocationLag == .seconds(2))
        #expect(defaults.configuration.audience == nil)
        #expect(defaults.admin == nil)
    }

    @Test func everyFlagReachesTheConfiguration() throws {
        let settings = try settings([
            "--host", "0.0.0.0", "--redis", "redis://10.0.0.5:6380/2", "--issuer", "https://auth.example.com", "--audience", "api",
            "--access-ttl", "60", "--refresh-ttl", "3600", "--max-revocation-lag", "0.5", "--refresh-reuse-grace", "10",
            "--ip-failure-limit", "0", "--registration", "CLOSED",
        ])
        let configuration = settings.configuration
        #expect(settings.server.host == "0.0.0.0")
        #expect(settings.redis.endpoint.description == "10.0.0.5:6380")
        #expect(settings.redis.endpoint.database == 2)
        #expect(configuration.issuer == "https://auth.example.com")
        #expect(configuration.audience == "api")
        #expect(configuration.accessTokenTTL == .seconds(60))
        #expect(configuration.refreshTokenTTL == .seconds(3600))
        #expect(configuration.maxRevocationLag == .milliseconds(500))
        #expect(configuration.refreshReuseGrace == .seconds(10))
        #expect(configuration.lockout.ipFailureLimit == 0)
        #expect(!configuration.isRegistrationOpen)
    }

    @Test func issuerDefaultsToLocalhost8080WhateverThePort() throws {
        #expect(try settings(["--port", "9000"]).configuration.issuer == "http://localhost:8080")
    }

    @Test func badValuesAreUsageErrorsNamingTheirSource() {
        let secret = ["TESSERA_HS256_SECRET": Self.secret]
        #expect(usageError(["--signing-alg", "RS256"], secret) == "--signing-alg must be one of HS256, EdDSA (got 'RS256')")
        #expect(usageError([], secret.merging(["TESSERA_PORT": "http"]) { $1 }) == "TESSERA_PORT=http is not an integer")
        #expect(usageError(["--port", "70000"], secret) == "--port must be within 0...65535 (got 70000)")
        #expect(
            usageError([], secret.merging(["TESSERA_REGISTRATION": "maybe"]) { $1 })
                == "TESSERA_REGISTRATION must be one of open, closed (got 'maybe')"
        )
        #expect(usageError(["--redis", "http://localhost"], secret)?.contains("expected redis://, redis-sentinel:// or unix://") == true)
        #expect(usageError([], [:]) == "HS256 needs a secret: --hs256-secret-file FILE or TESSERA_HS256_SECRET (at least 32 bytes)")
    }

    @Test func aReuseGraceAsLongAsTheAccessTokenTTLIsRefused() {
        let message = usageError(["--access-ttl", "60", "--refresh-reuse-grace", "60"], ["TESSERA_HS256_SECRET": Self.secret])
        #expect(message?.contains("--refresh-reuse-grace") == true, "\(message ?? "accepted")")
        #expect(usageError(["--access-ttl", "60", "--refresh-reuse-grace", "59"], ["TESSERA_HS256_SECRET": Self.secret]) == nil)
    }

    @Test func aTwelveByteSecretIsRefused() {
        #expect(usageError([], ["TESSERA_HS256_SECRET": "twelve bytes"]) == "TESSERA_HS256_SECRET: HS256 secret must be at least 32 bytes (got 12)")
    }

    @Test func hs256KIDIsBase64URLOfTheFirst8BytesOfTheSecretsSHA256() throws {
        let keys = try settings([]).configuration.keys
        #expect(keys.keys.map(\.kid) == [Self.secretKID])
        #expect(keys.signingKey.algorithm == .hs256)
        #expect(keys.jwks.isEmpty, "HS256 keys are never published")
    }

    @Test func secretFileLosesExactlyOneTrailingNewline() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let oneNewline = try directory.write("one", Self.secret + "\n")
        let twoNewlines = try directory.write("two", Self.secret + "\n\n")
        let keys = try settings(["--hs256-secret-file", oneNewline, "--hs256-secret-file", twoNewlines], [:]).configuration.keys
        #expect(keys.keys.map(\.kid) == [Self.secretKID, Self.secretWithNewlineKID], "the first file signs, both verify")
    }

    @Test func secretFilesComeFromACommaSeparatedVariableAndFlagsReplaceIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try directory.write("first", Self.secret)
        let second = try directory.write("second", Self.secret + "\n\n")
        let environment = ["TESSERA_HS256_SECRET_FILE": "\(first),\(second)"]
        #expect(try settings([], environment).configuration.keys.keys.map(\.kid) == [Self.secretKID, Self.secretWithNewlineKID])
        #expect(try settings(["--hs256-secret-file", second], environment).configuration.keys.keys.map(\.kid) == [Self.secretWithNewlineKID])
        #expect(usageError([], environment.merging(["TESSERA_HS256_SECRET": Self.secret]) { $1 }) != nil, "two env sources are ambiguous")
    }

    @Test func anUnreadableSecretFileIsARuntimeFailure() throws {
        do {
            _ = try settings(["--hs256-secret-file", "/nonexistent/secret"], [:])
            Issue.record("a missing secret file was accepted")
        } catch let failure as CommandFailure {
            #expect(failure.description == "cannot read --hs256-secret-file /nonexistent/secret: No such file or directory")
        }
    }

    @Test func missingEd25519KeyFileIsCreatedPrivateAndReloadedToTheSameKID() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("ed25519.pem")
        let arguments = ["--signing-alg", "EdDSA", "--ed25519-key-file", path]
        let created = try settings(arguments).configuration.keys
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))

        let reloaded = try settings(arguments).configuration.keys
        #expect(reloaded.signingKey.kid == created.signingKey.kid)
        #expect(reloaded.signingKey.algorithm == .eddsa)
        #expect(reloaded.jwks.map { $0["kid"] } == [created.signingKey.kid])
        // The HS256 secret of the environment still verifies, after the Ed25519 key.
        #expect(reloaded.keys.map(\.kid) == [created.signingKey.kid, Self.secretKID])
    }

    @Test func anEd25519KeyFileIsCreatedOnlyWhenEdDSAIsSelected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("ed25519.pem")
        #expect(throws: CommandFailure.self) { try settings(["--ed25519-key-file", path]) }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(usageError(["--signing-alg", "eddsa"], [:]) == "EdDSA needs --ed25519-key-file FILE (created when missing)")
    }

    @Test func hs256ModeVerifiesWithGivenEd25519KeysToo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let seed = directory.file("seed")
        try Data(repeating: 7, count: 32).write(to: URL(fileURLWithPath: seed))
        let keys = try settings(["--ed25519-key-file", seed]).configuration.keys
        #expect(keys.keys.map(\.algorithm) == [.hs256, .eddsa])
        #expect(keys.signingKey.kid == Self.secretKID)
        #expect(keys.jwks.count == 1, "the Ed25519 public key is published so its tokens can be checked elsewhere")
    }

    @Test func adminNeedsBothVariables() throws {
        let secret = ["TESSERA_HS256_SECRET": Self.secret]
        #expect(
            usageError([], secret.merging(["TESSERA_ADMIN_USERNAME": "root"]) { $1 })
                == "set both TESSERA_ADMIN_USERNAME and TESSERA_ADMIN_PASSWORD, or neither"
        )
        #expect(usageError([], secret.merging(["TESSERA_ADMIN_PASSWORD": "long enough"]) { $1 }) != nil)
        #expect(usageError([], secret.merging(["TESSERA_ADMIN_USERNAME": "root", "TESSERA_ADMIN_PASSWORD": "short"]) { $1 }) != nil)
        let admin = try settings([], secret.merging(["TESSERA_ADMIN_USERNAME": "root", "TESSERA_ADMIN_PASSWORD": "long enough"]) { $1 }).admin
        #expect(admin?.username == "root")
        #expect(admin?.password == Array("long enough".utf8))
    }

    @Test func aSecretThatIsNotUTF8IsKeptByteForByte() throws {
        // 0xFF 0xFE are not UTF-8: a String-typed environment would turn each into U+FFFD (3 bytes).
        let secret: [UInt8] = [0xFF, 0xFE] + Array("0123456789abcdef0123456789abcd".utf8)
        let environment = EnvironmentDefaults(bytes: ["TESSERA_HS256_SECRET": secret])
        let keys = try ServeOptions.parse([]).makeSettings(environment: environment, logger: logger).configuration.keys
        // base64url(SHA-256(secret)[0..<8]), computed with Python's hashlib over the same 32 bytes.
        #expect(keys.signingKey.kid == "ubwXuGSC2XY")
    }

    @Test func anEmptyVariableCountsAsUnset() throws {
        let settings = try settings([], ["TESSERA_HS256_SECRET": Self.secret, "TESSERA_PORT": "", "TESSERA_AUDIENCE": "", "TESSERA_REDIS": ""])
        #expect(settings.server.port == 8080)
        #expect(settings.configuration.audience == nil)
        #expect(settings.redis.endpoint.description == "127.0.0.1:6379")
    }

    @Test func aBadValueFromTheEnvironmentIsAUsageErrorNeverTheDefault() {
        let secret = ["TESSERA_HS256_SECRET": Self.secret]
        #expect(usageError([], secret.merging(["TESSERA_MAX_REVOCATION_LAG": "soon"]) { $1 }) == "TESSERA_MAX_REVOCATION_LAG=soon is not a number")
        #expect(usageError([], secret.merging(["TESSERA_ACCESS_TTL": "0"]) { $1 }) == "TESSERA_ACCESS_TTL must be within 1...31536000 (got 0)")
        #expect(usageError([], secret.merging(["TESSERA_LOG_LEVEL": "verbose"]) { $1 }) == nil, "the log level is read by serve itself")
        // A flag wins even over a bad variable: the variable is never read.
        #expect(usageError(["--port", "9000"], secret.merging(["TESSERA_PORT": "http"]) { $1 }) == nil)
    }

    @Test func timesAreDurationsKeptToTheMillisecond() throws {
        #expect(try settings(["--max-revocation-lag", "0.25"]).configuration.maxRevocationLag == .milliseconds(250))
        let environment = ["TESSERA_HS256_SECRET": Self.secret, "TESSERA_MAX_REVOCATION_LAG": "1.5", "TESSERA_REFRESH_REUSE_GRACE": "7"]
        let fromEnvironment = try settings([], environment)
        #expect(fromEnvironment.configuration.maxRevocationLag == .milliseconds(1500))
        #expect(fromEnvironment.configuration.refreshReuseGrace == .seconds(7))
    }

    @Test func variableNamesFollowTheFlags() {
        #expect(EnvironmentDefaults.variableName(forFlag: "max-revocation-lag") == "TESSERA_MAX_REVOCATION_LAG")
        #expect(EnvironmentDefaults.variableName(forFlag: "hs256-secret-file") == "TESSERA_HS256_SECRET_FILE")
    }

    @Test func idleTimeoutDefaultsToAMinuteAndZeroTurnsItOff() throws {
        #expect(try settings([]).server.idleTimeout == .seconds(60))
        #expect(try settings(["--idle-timeout", "2.5"]).server.idleTimeout == .milliseconds(2500))
        #expect(try settings(["--idle-timeout", "0"]).server.idleTimeout == nil)
        #expect(try settings([], ["TESSERA_HS256_SECRET": Self.secret, "TESSERA_IDLE_TIMEOUT": "30"]).server.idleTimeout == .seconds(30))
        #expect(
            usageError([], ["TESSERA_HS256_SECRET": Self.secret, "TESSERA_IDLE_TIMEOUT": "-1"])
                == "TESSERA_IDLE_TIMEOUT must be within 0.0...86400.0 (got -1.0)"
        )
    }

    @Test func trustedProxiesComeFromRepeatedFlagsOrACommaSeparatedVariable() throws {
        #expect(try settings([]).server.trustedProxies.isEmpty)
        let flags = try settings(["--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "2001:db8::/32", "--trusted-proxy", "192.0.2.7"])
        #expect(flags.server.trustedProxies.map(\.description) == ["10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32"])
        let environment = ["TESSERA_HS256_SECRET": Self.secret, "TESSERA_TRUSTED_PROXY": "172.16.0.0/12, ::1"]
        #expect(try settings([], environment).server.trustedProxies.map(\.description) == ["172.16.0.0/12", "::1/128"])
        #expect(try settings(["--trusted-proxy", "10.0.0.0/8"], environment).server.trustedProxies.map(\.description) == ["10.0.0.0/8"])
    }

    @Test func aBadTrustedProxyIsRefusedAtStartNamingItAndItsSource() {
        let secret = ["TESSERA_HS256_SECRET": Self.secret]
        #expect(
            usageError(["--trusted-proxy", "10.0.0.1/8"], secret) == "--trusted-proxy: '10.0.0.1/8' has host bits set; the network is 10.0.0.0/8"
        )
        #expect(
            usageError(["--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "nginx"], secret)
                == "--trusted-proxy: 'nginx' is not an IPv4 or IPv6 address or network in CIDR notation (e.g. 10.0.0.0/8, 2001:db8::/32)"
        )
        #expect(
            usageError([], secret.merging(["TESSERA_TRUSTED_PROXY": "10.0.0.0/8,10.0.0.0/40"]) { $1 })
                == "TESSERA_TRUSTED_PROXY: '10.0.0.0/40': the prefix length must be a number within 0...32"
        )
    }
}
