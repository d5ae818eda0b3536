public import Hummingbird
public import Logging
public import TesseraStore

/// Builds the Hummingbird application of one Tessera node.
public enum TesseraApplication {
    /// The router with every route and middleware, for `app.test(.router)` and for `make`.
    public static func makeRouter(store: EventStore) -> Router<TesseraRequestContext> {
        let router = Router(context: TesseraRequestContext.self)
        HealthRoutes(store: store).register(on: router)
        return router
    }

    /// The application: the router on the configured address, with `services` run beside it
    /// (the Redis pool first, so it closes last on graceful shutdown).
    public static func make(
        configuration: ServerConfiguration,
        store: EventStore,
        logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: makeRouter(store: store),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: configuration.serverName
            ),
            services: [store.pool],
            logger: logger
        )
    }
}
