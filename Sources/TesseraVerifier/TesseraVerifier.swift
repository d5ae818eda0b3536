import AsyncHTTPClient
public import Logging
import NIOCore
import RedisClient
public import ServiceLifecycle
import Synchronization
public import TesseraCore
import TesseraStore

/// Checks Tessera access tokens inside an API node: signature and claims, then three lookups in
/// a revocation view the node holds in memory and keeps current from Redis or from a Tessera
/// node's revocation feed.
///
/// Run it as a swift-service-lifecycle `Service` (in the same `ServiceGroup` as the HTTP
/// server); until it has loaded the revocation snapshot (and, for EdDSA, the JWKS), and
/// whenever it has not caught up with the log within `maxRevocationLag`, every check fails with
/// ``VerificationFailure/Code-swift.struct/stale``: it fails closed, exactly like a Tessera node.
///
/// ```swift
/// let verifier = try TesseraVerifier(
///     configuration: .init(issuer: "https://auth.example.com", hs256Secrets: [secret], source: .redis(url: "redis://api-node:…@redis:6379")),
///     logger: logger
/// )
/// let claims = try await verifier.verify(token)  // claims.subject, claims.roles, ...
/// ```
public final class TesseraVerifier: Service, Sendable {
    /// What the verifier was made with.
    public let configuration: TesseraVerifierConfiguration
    /// The revocation view, its freshness and position: the same type a Tessera node holds.
    let state: NodeState
    let keys: Mutex<KeyState>
    let hs256Keys: [SigningKey]
    private let redisEndpoint: RedisEndpoint?
    let logger: Logger
    private let metrics = VerifierMetrics()

    /// Creates a verifier; nothing is fetched or connected until ``run()``.
    /// - Throws: ``TesseraVerifierError`` for a secret under 32 bytes, a bad Redis URL, or no key source at all.
    public init(configuration: TesseraVerifierConfiguration, logger: Logger) throws(TesseraVerifierError) {
        self.configuration = configuration
        self.logger = logger
        var hs256Keys: [SigningKey] = []
        for secret in configuration.hs256Secrets {
            do {
                hs256Keys.append(try SigningKey.hs256(secret: secret))
            } catch {
                throw TesseraVerifierError(.invalidConfiguration, error.description)
            }
        }
        guard !hs256Keys.isEmpty || configuration.jwksURL != nil else {
            throw TesseraVerifierError(.invalidConfiguration, "give at least one HS256 secret or a JWKS URL")
        }
        self.hs256Keys = hs256Keys
        if case .redis(let url, _) = configuration.source {
            do {
                redisEndpoint = try RedisEndpoint(url: url)
            } catch {
                throw TesseraVerifierError(.invalidConfiguration, error.message)
            }
        } else {
            redisEndpoint = nil
        }
        let initial = hs256Keys.isEmpty ? nil : KeyedVerifier(keys: hs256Keys, configuration: configuration)
        keys = Mutex(KeyState(current: initial))
        // NodeState's own verifier is not used here (the JWKS may change the keys): the view,
        // its freshness and its position are. It prunes with the configured leeway.
        state = NodeState(
            verifier: initial?.verifier ?? KeyedVerifier.placeholder(configuration: configuration),
            maxRevocationLag: configuration.maxRevocationLag,
            profileCapacity: 1,
            journalCapacity: 1
        )
    }

    /// Verifies an access token and checks it against the revocation view.
    ///
    /// Signature + claims + three in-memory lookups; it suspends only when the token names a
    /// `kid` the verifier does not know and a JWKS URL is configured, to fetch the JWKS once
    /// (rate-limited) and try again.
    /// - Throws: ``VerificationFailure``: `.stale` (checked first), `.invalidToken` or `.revoked`.
    public func verify(_ token: some StringProtocol) async throws(VerificationFailure) -> AccessTokenClaims {
        let current = try currentVerifier()
        let now = Timestamp.nowMilliseconds()
        switch check(token, with: current.verifier, now: now) {
        case .success(let claims): return claims
        case .failure(let failure) where failure.isUnknownKey && configuration.jwksURL != nil:
            await refetchKeys()
            guard let refreshed = keys.withLock({ $0.current }), refreshed !== current else { throw failure }
            return try check(token, with: refreshed.verifier, now: now).get()
        case .failure(let failure): throw failure
        }
    }

    /// ``verify(_:)`` without waiting for a JWKS fetch: an unknown `kid` is `.invalidToken`
    /// at once (and starts a rate-limited fetch in the background when a JWKS URL is set).
    public func verifyNow(_ token: some StringProtocol) throws(VerificationFailure) -> AccessTokenClaims {
        let result = check(token, with: try currentVerifier().verifier, now: Timestamp.nowMilliseconds())
        if case .failure(let failure) = result, failure.isUnknownKey, configuration.jwksURL != nil {
            Task { await self.refetchKeys() }
        }
        return try result.get()
    }

    /// Whether checks can answer now: keys loaded and the view caught up within the lag bound.
    public var isFresh: Bool {
        state.isFresh() && keys.withLock { $0.current != nil }
    }

    /// How long since the view was last caught up with the log; nil before the snapshot is loaded.
    public var lag: Duration? { state.lag() }

    /// The newest log position the view has applied (a stream id such as `1732363200000-0`).
    public var position: String { state.appliedPosition.description }

    /// How many revocations the view holds.
    public var revocationCount: Int { state.revocations.count }

    /// Loads the revocation snapshot and follows the log (from Redis or the feed), fetches the
    /// JWKS when configured, and publishes freshness and lag as metrics, until graceful shutdown.
    public func run() async throws {
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(timeout: .init(connect: .seconds(2), read: Self.readTimeout(lag: configuration.maxRevocationLag)))
        )
        keys.withLock { $0.http = http }
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    if self.configuration.jwksURL != nil {
                        group.addTask { await self.loadKeys() }
                    }
                    group.addTask { try await self.followRevocations(http: http) }
                    group.addTask { try await self.publishMetrics() }
                    // The JWKS task ends once it has loaded the keys; the others run until cancelled.
                    try await group.waitForAll()
                }
            }
        } catch is CancellationError {
            // Graceful shutdown.
        }
        keys.withLock { $0.http = nil }
        try? await http.shutdown()
    }

    private func followRevocations(http: HTTPClient) async throws {
        switch configuration.source {
        case .redis(_, let keyPrefix):
            let pool = RedisConnectionPool(configuration: RedisConfiguration(endpoint: redisEndpoint!, poolSize: 1), logger: logger)
            let store = EventStore(pool: pool, keyPrefix: keyPrefix, logger: logger)
            do {
                try await RevocationFollower(store: store, state: state, logger: logger).run()
            } catch {
                await pool.shutdown()
                throw error
            }
            await pool.shutdown()
        case .feed(let baseURL, let credential):
            try await RevocationFeedClient(baseURL: baseURL, credential: credential, http: http, state: state, logger: logger).run()
        }
        // The follower returns only at graceful shutdown; keep the group waiting for it.
        try await Task.sleep(for: .seconds(365 * 24 * 3600))
    }

    private func publishMetrics() async throws {
        while !Task.isCancelled {
            metrics.record(isFresh: isFresh, lag: state.lag(), revocations: state.revocations.count)
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    private func currentVerifier() throws(VerificationFailure) -> KeyedVerifier {
        guard state.isFresh(), let current = keys.withLock({ $0.current }) else {
            throw VerificationFailure(.stale, "the revocation view is not current")
        }
        return current
    }

    private func check(_ token: some StringProtocol, with verifier: TokenVerifier, now: Int64) -> Result<AccessTokenClaims, VerificationFailure> {
        let claims: AccessTokenClaims
        do {
            claims = try verifier.verify(token, now: now / 1000)
        } catch {
            return .failure(VerificationFailure(rejection: error))
        }
        if let verdict = state.revocations.verdict(for: claims) {
            return .failure(VerificationFailure(.revoked, verdict.rawValue))
        }
        return .success(claims)
    }

    /// The read timeout of the feed's stream: a silent node is left well before the view goes stale.
    private static func readTimeout(lag: Duration) -> TimeAmount {
        let (seconds, attoseconds) = lag.components
        return .milliseconds(max(500, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }
}

extension VerificationFailure {
    init(rejection: TokenRejection) {
        self.init(.invalidToken, rejection.message, rejection: rejection.reason)
    }

    var isUnknownKey: Bool { rejection == .unknownKey }
}
