public import Logging
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
    let logger: Logger

    /// Assembles a node's parts; opens no connection.
    public init(configuration: TesseraConfiguration, store: EventStore, hasher: PasswordHasher, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.hasher = hasher
        self.accounts = AccountService(store: store, hasher: hasher, logger: logger)
        self.signer = TokenSigner(keys: configuration.keys)
        self.verifier = TokenVerifier(keys: configuration.keys, issuer: configuration.issuer, audience: configuration.audience)
        self.revocations = RevocationView(accessTokenTTLSeconds: configuration.accessTokenTTL)
        self.logger = logger
    }

    /// Applies the node's own revocations at once, before it answers: reads back the events a
    /// revoking script appended and feeds them to the view.
    func applyOwn(_ eventIDs: [EventID]) async throws(StoreError) {
        guard !eventIDs.isEmpty else { return }
        for event in try await store.events(withIDs: eventIDs) {
            revocations.apply(event)
        }
    }
}
