import ArgumentParser
import Logging
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraStore

extension ServeOptions {
    /// Maps flags, then `TESSERA_*` variables, then the defaults into the node's settings.
    ///
    /// Needs no Redis. It reads the key files and, with EdDSA selected, creates a missing first
    /// Ed25519 key file — only after every other value has been checked.
    /// - Throws: `ValidationError` for a bad value (exit 64), `CommandFailure` for a key file
    ///   that cannot be read or created (exit 1).
    func makeSettings(environment: EnvironmentDefaults, logger: Logger) throws -> ServeSettings {
        var redis = try self.redis.makeSettings(environment: environment)
        redis.minReplicasAck = try environment.resolveInt(minReplicasAck, flag: "min-replicas-ack", default: 0, range: 0...100)
        redis.replicaAckTimeout = try environment.resolveSeconds(
            replicaAckTimeoutSeconds,
            flag: "replica-ack-timeout",
            default: redis.replicaAckTimeout,
            range: 0.001...60
        )
        typealias Defaults = TesseraConfiguration.Defaults
        let defaultServer = ServerConfiguration()
        let defaultLockout = LockoutPolicy()
        let idleTimeout = try environment.resolveSeconds(
            idleTimeoutSeconds,
            flag: "idle-timeout",
            default: ServerConfiguration.Defaults.idleTimeout,
            range: 0...86_400
        )
        let server = ServerConfiguration(
            host: environment.resolve(host, flag: "host", default: defaultServer.host),
            port: try environment.resolveInt(port, flag: "port", default: defaultServer.port, range: 0...65535),
            idleTimeout: idleTimeout == .zero ? nil : idleTimeout,
            trustedProxies: try Self.trustedProxies(trustedProxies, environment: environment)
        )
        let issuer = environment.resolve(issuer, flag: "issuer", default: Defaults.issuer)
        let audience = environment.resolve(audience, flag: "audience")
        let accessTokenTTL = try environment.resolveWholeSeconds(
            accessTTLSeconds,
            flag: "access-ttl",
            default: Defaults.accessTokenTTL,
            range: 1...31_536_000
        )
        let refreshTokenTTL = try environment.resolveWholeSeconds(
            refreshTTLSeconds,
            flag: "refresh-ttl",
            default: Defaults.refreshTokenTTL,
            range: 1...315_360_000
        )
        let algorithm = try environment.resolveChoice(
            signingAlgorithm,
            flag: "signing-alg",
            default: JWTAlgorithm.hs256,
            choices: ["HS256": .hs256, "EdDSA": .eddsa]
        )
        let isRegistrationOpen = try environment.resolveChoice(
            registration,
            flag: "registration",
            default: Defaults.isRegistrationOpen,
            choices: ["open": true, "closed": false]
        )
        let maxRevocationLag = try environment.resolveSeconds(
            maxRevocationLagSeconds,
            flag: "max-revocation-lag",
            default: Defaults.maxRevocationLag,
            range: 0.1...3600
        )
        let refreshReuseGrace = try environment.resolveWholeSeconds(
            refreshReuseGraceSeconds,
            flag: "refresh-reuse-grace",
            default: Defaults.refreshReuseGrace,
            range: 0...86_400
        )
        // A grace retry answers with the rotation's access token, which must not have expired.
        guard refreshReuseGrace < accessTokenTTL else {
            throw ValidationError(
                "--refresh-reuse-grace (\(refreshReuseGrace.wholeSeconds) s) must be shorter than --access-ttl (\(accessTokenTTL.wholeSeconds) s)"
            )
        }
        let lockout = LockoutPolicy(
            threshold: try environment.resolveInt(lockoutThreshold, flag: "lockout-threshold", default: defaultLockout.threshold, range: 0...10_000),
            ipFailureLimit: try environment.resolveInt(
                ipFailureLimit,
                flag: "ip-failure-limit",
                default: defaultLockout.ipFailureLimit,
                range: 0...10_000_000
            )
        )
        let admin = try Self.adminCredentials(environment)
        let keySources = try SigningKeySources(
            algorithm: algorithm,
            hs256SecretFiles: hs256SecretFiles,
            ed25519KeyFiles: ed25519KeyFiles,
            environment: environment
        )
        let configuration = TesseraConfiguration(
            issuer: issuer,
            audience: audience,
            accessTokenTTL: accessTokenTTL,
            refreshTokenTTL: refreshTokenTTL,
            keys: try keySources.makeKeySet(logger: logger),
            isRegistrationOpen: isRegistrationOpen,
            refreshReuseGrace: refreshReuseGrace,
            lockout: lockout,
            maxRevocationLag: maxRevocationLag
        )
        return ServeSettings(configuration: configuration, server: server, redis: redis, admin: admin)
    }

    /// `--trusted-proxy` values, else `TESSERA_TRUSTED_PROXY`'s comma-separated list, as networks.
    /// - Throws: `ValidationError` naming the first bad one and where it came from.
    private static func trustedProxies(_ flagValues: [String], environment: EnvironmentDefaults) throws -> [IPNetwork] {
        let source = flagValues.isEmpty ? EnvironmentDefaults.variableName(forFlag: "trusted-proxy") : "--trusted-proxy"
        var networks: [IPNetwork] = []
        for text in environment.resolveList(flagValues, flag: "trusted-proxy") {
            do {
                networks.append(try IPNetwork(parsing: text))
            } catch {
                throw ValidationError("\(source): \(error.message)")
            }
        }
        return networks
    }

    /// `TESSERA_ADMIN_USERNAME` and `TESSERA_ADMIN_PASSWORD`, both or neither, valid by `AccountRules`.
    private static func adminCredentials(_ environment: EnvironmentDefaults) throws -> AdminCredentials? {
        let username = environment.value(ofVariable: "TESSERA_ADMIN_USERNAME")
        let password = environment.bytes(ofVariable: "TESSERA_ADMIN_PASSWORD")
        switch (username, password) {
        case (nil, nil):
            return nil
        case (let username?, let password?):
            do {
                try AccountRules.validateUsername(username)
                try AccountRules.validatePassword(password)
            } catch {
                throw ValidationError("TESSERA_ADMIN_USERNAME/TESSERA_ADMIN_PASSWORD: \(error.message)")
            }
            return AdminCredentials(username: username, password: password)
        default:
            throw ValidationError("set both TESSERA_ADMIN_USERNAME and TESSERA_ADMIN_PASSWORD, or neither")
        }
    }
}
