public import Logging
import TesseraCore
public import TesseraPasswords
public import TesseraStore

/// One Tessera node assembled: its state, the services that keep the state current, and the
/// use cases the routes call.
///
/// Creating it opens no connection. Run `follower` and `registry` as services beside the HTTP
/// server (after the Redis pool, so that the pool closes last).
public struct TesseraNode: Sendable {
    public let configuration: TesseraConfiguration
    public let store: EventStore
    public let hasher: PasswordHasher
    /// What the node holds in memory.
    public let state: NodeState
    /// Feeds `state` from the log.
    public let follower: RevocationFollower
    /// Tells the deployment this node is alive and how far its state has applied the log.
    public let registry: NodeRegistry
    /// `POST /token`.
    public let tokens: TokenService
    /// The caller's sessions, `/revoke`, `/introspect`.
    public let sessions: SessionService
    /// Registration and password changes.
    public let accounts: AccountService
    /// The `/admin` use cases.
    public let admin: AdminService

    /// Assembles a node.
    /// - Parameter address: `host:port` of the node's HTTP server, as the registry publishes it.
    public init(configuration: TesseraConfiguration, store: EventStore, hasher: PasswordHasher, address: String, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.hasher = hasher
        let state = NodeState(
            verifier: TokenVerifier(keys: configuration.keys, issuer: configuration.issuer, audience: configuration.audience),
            maxRevocationLag: configuration.maxRevocationLag
        )
        self.state = state
        self.follower = RevocationFollower(store: store, state: state, logger: logger)
        self.registry = NodeRegistry(store: store, state: state, address: address, logger: logger)
        let issuer = AccessTokenIssuer(configuration: configuration)
        self.tokens = TokenService(store: store, hasher: hasher, state: state, issuer: issuer, configuration: configuration, logger: logger)
        self.sessions = SessionService(store: store, state: state, issuer: configuration.issuer, logger: logger)
        let accounts = AccountService(
            store: store,
            hasher: hasher,
            state: state,
            isRegistrationOpen: configuration.isRegistrationOpen,
            lockout: configuration.lockout,
            logger: logger
        )
        self.accounts = accounts
        self.admin = AdminService(store: store, state: state, accounts: accounts, logger: logger)
    }
}
