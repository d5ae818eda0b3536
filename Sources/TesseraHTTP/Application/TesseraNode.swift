import HTTPTypes
import Hummingbird
public import Logging
public import Prometheus
public import TesseraCore
public import TesseraStore

/// The shared parts every route of one node uses.
public struct TesseraNode: Sendable {
    public let configuration: TesseraConfiguration
    public let store: EventStore
    public let hasher: PasswordHasher
    public let accounts: AccountService
    public let signer: TokenSigner
    public let verifier: TokenVerifier
    public let revocations: RevocationView
    /// Feeds `revocations` from the log; run it as a service.
    public let follower: RevocationFollower
    /// Tells the deployment this node is alive and how far its view has applied the log.
    public let registry: NodeRegistry
    /// What `GET /metrics` emits: the registry swift-metrics was bootstrapped with.
    public let metricsRegistry: PrometheusCollectorRegistry
    let verifyMetrics = VerifyMetrics()
    /// `GET /users/me` bodies; the follower and the node's own writes keep it current.
    let userProfiles: UserProfileCache
    let logger: Logger

    /// Assembles a node's parts; opens no connection.
    ///
    /// Bootstrap `MetricsSystem` with a `PrometheusMetricsFactory` over `metricsRegistry` first
    /// (the executable does), or the counters go nowhere.
    public init(
        configuration: TesseraConfiguration,
        store: EventStore,
        hasher: PasswordHasher,
        metricsRegistry: PrometheusCollectorRegistry = PrometheusMetricsFactory.defaultRegistry,
        logger: Logger
    ) {
        self.metricsRegistry = metricsRegistry
        self.configuration = configuration
        self.store = store
        self.hasher = hasher
        self.accounts = AccountService(store: store, hasher: hasher, logger: logger)
        self.signer = TokenSigner(keys: configuration.keys)
        self.verifier = TokenVerifier(keys: configuration.keys, issuer: configuration.issuer, audience: configuration.audience)
        self.revocations = RevocationView(accessTokenTTLSeconds: configuration.accessTokenTTL)
        let userProfiles = UserProfileCache()
        self.userProfiles = userProfiles
        self.follower = RevocationFollower(
            store: store,
            view: revocations,
            maxLagSeconds: configuration.maxRevocationLagSeconds,
            logger: logger,
            onEvent: { userProfiles.apply($0) }
        )
        self.registry = NodeRegistry(
            store: store,
            view: revocations,
            address: "\(configuration.server.host):\(configuration.server.port)",
            logger: logger
        )
        self.logger = logger
    }

    /// Applies the node's own revocations at once, before it answers: reads back the events a
    /// revoking script appended and feeds them to the view.
    func applyOwn(_ eventIDs: [EventID]) async throws(StoreError) {
        guard !eventIDs.isEmpty else { return }
        for event in try await store.events(withIDs: eventIDs) {
            revocations.apply(event)
            userProfiles.apply(event)
        }
    }
}

extension TesseraNode {
    /// Applies the events a revoking call appended to this node's view at once, and returns the
    /// `Tessera-Revocation-Id` header naming the last of them (no header when there are none).
    func receipt(for eventIDs: [EventID]) async throws -> HTTPFields {
        try await applyOwn(eventIDs)
        var headers: HTTPFields = [:]
        if let last = eventIDs.last { headers[.revocationID] = last.description }
        return headers
    }

    /// The answer of a revoking call: the events its script appended are applied to this node's
    /// view at once, then 204 with `Tessera-Revocation-Id` naming the last of them. A rejected
    /// script throws `ifRejected`, or answers 204 without a receipt when that is nil (nothing
    /// left to revoke is the outcome the caller wanted).
    func answerRevocation(_ outcome: ScriptOutcome, ifRejected: APIError?) async throws -> Response {
        switch outcome {
        case .appended(let result):
            return Response(status: .noContent, headers: try await receipt(for: result.eventIDs))
        case .rejected:
            if let ifRejected { throw ifRejected }
            return Response(status: .noContent)
        }
    }
}
