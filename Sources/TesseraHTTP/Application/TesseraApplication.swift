public import Hummingbird
public import Logging
public import TesseraCore
public import TesseraStore

/// Builds the Hummingbird application of one Tessera node.
public enum TesseraApplication {
    /// The router with every route and middleware, for `app.test(.router)` and for `make`.
    public static func makeRouter(node: TesseraNode) -> Router<TesseraRequestContext> {
        let router = Router(context: TesseraRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ErrorMiddleware())
        let authenticator = Authenticator(
            verifier: node.verifier,
            revocations: node.revocations,
            follower: node.follower,
            metrics: node.verifyMetrics
        )
        HealthRoutes(store: node.store, follower: node.follower).register(on: router)
        MetricsRoutes(node: node).register(on: router)
        TokenRoutes(node: node).register(on: router)
        UserRoutes(node: node, authenticator: authenticator).register(on: router)
        LogoutRoutes(node: node, authenticator: authenticator).register(on: router)
        WellKnownRoutes(node: node).register(on: router)
        VerifyRoutes(authenticator: authenticator).register(on: router)
        RevocationRoutes(node: node, authenticator: authenticator).register(on: router)
        SessionRoutes(node: node, authenticator: authenticator).register(on: router)
        AdminRoutes(node: node, authenticator: authenticator).register(on: router)
        return router
    }

    /// The application of one node: routes on the configured address, with the Redis pool run
    /// beside it as a service (listed first, so it closes last on graceful shutdown).
    ///
    /// The caller owns `hasher` and shuts it down after the application returns.
    public static func make(
        configuration: TesseraConfiguration,
        store: EventStore,
        hasher: PasswordHasher,
        logger: Logger
    ) -> some ApplicationProtocol {
        make(node: TesseraNode(configuration: configuration, store: store, hasher: hasher, logger: logger), logger: logger)
    }

    /// The application of an assembled node (tests keep the node to look inside it).
    public static func make(node: TesseraNode, logger: Logger) -> some ApplicationProtocol {
        let configuration = node.configuration
        return Application(
            router: makeRouter(node: node),
            configuration: .init(
                address: .hostname(configuration.server.host, port: configuration.server.port),
                serverName: configuration.server.serverName
            ),
            // Graceful shutdown runs in reverse: HTTP drains first, the pool closes last.
            services: [node.store.pool, node.follower, node.registry],
            logger: logger
        )
    }
}
