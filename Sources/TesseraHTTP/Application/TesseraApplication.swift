public import Hummingbird
import HummingbirdCore
public import Logging
import NIOCore
public import Prometheus
public import ServiceLifecycle
public import TesseraAuth
import TesseraCore
import TesseraStore

/// Builds the Hummingbird application of one Tessera node.
public enum TesseraApplication {
    /// The router with every route and middleware, for `app.test(.router)` and for `make`.
    ///
    /// Routes that need a signed-in caller sit in groups behind the bearer authenticator; the
    /// `/admin` group and `/introspect` also require a role.
    ///
    /// `trustedProxies`: the peers whose forwarding headers name the client (see ``ClientAddressResolver``).
    public static func makeRouter(
        node: TesseraNode,
        metricsRegistry: PrometheusCollectorRegistry = PrometheusMetricsFactory.defaultRegistry,
        trustedProxies: [IPNetwork] = []
    ) -> Router<TesseraRequestContext> {
        let router = Router(context: TesseraRequestContext.self)
        router.add(middleware: ClientAddressMiddleware(resolver: ClientAddressResolver(trustedProxies: trustedProxies)))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ErrorMiddleware())
        let authenticator = BearerAuthenticator(state: node.state, metrics: VerifyMetrics())
        let signedIn = router.group().add(middleware: authenticator).add(middleware: RequireIdentity())
        let introspectors = router.group().add(middleware: authenticator).add(middleware: RequireIdentity(anyOf: [.introspect, .admin]))
        let admin = router.group("admin").add(middleware: authenticator).add(middleware: RequireIdentity(anyOf: [.admin]))

        HealthRoutes(store: node.store, state: node.state).register(on: router)
        MetricsRoutes(state: node.state, registry: metricsRegistry).register(on: router)
        WellKnownRoutes(keys: node.configuration.keys, issuer: node.configuration.issuer).register(on: router)
        TokenRoutes(tokens: node.tokens).register(on: router)
        UserRoutes(accounts: node.accounts).register(on: router, signedIn: signedIn)
        LogoutRoutes(sessions: node.sessions).register(on: signedIn)
        SessionRoutes(sessions: node.sessions).register(on: signedIn)
        RevocationRoutes(sessions: node.sessions).register(on: router, introspectors: introspectors)
        VerifyRoutes().register(on: signedIn)
        RevocationFeedRoutes(store: node.store, state: node.state, issuer: node.configuration.issuer).register(on: router)
        AdminUserRoutes(admin: node.admin).register(on: admin)
        AdminSessionRoutes(admin: node.admin).register(on: admin)
        AdminEventRoutes(admin: node.admin).register(on: admin)
        AdminNodeRoutes(admin: node.admin).register(on: admin)
        return router
    }

    /// The services a node runs beside its HTTP server, in start order: the Redis pool, the
    /// log follower, the node registry. Graceful shutdown runs in reverse, after HTTP has
    /// drained, so the pool closes last.
    public static func services(of node: TesseraNode) -> [any Service] {
        [node.store.pool, node.follower, node.registry]
    }

    /// The application of an assembled node: routes on the configured address, with
    /// ``services(of:)`` run beside it. This is what `tessera serve` runs.
    ///
    /// The caller owns the node's hasher and shuts it down after the application returns.
    public static func make(
        node: TesseraNode,
        server: ServerConfiguration,
        metricsRegistry: PrometheusCollectorRegistry = PrometheusMetricsFactory.defaultRegistry,
        logger: Logger
    ) -> Application<RouterResponder<TesseraRequestContext>> {
        Application(
            router: makeRouter(node: node, metricsRegistry: metricsRegistry, trustedProxies: server.trustedProxies),
            server: httpServer(server),
            configuration: .init(address: .hostname(server.host, port: server.port), serverName: server.serverName),
            services: services(of: node),
            logger: logger
        )
    }

    /// HTTP/1.1 with the configuration's idle timeout: a connection that sends no whole request
    /// head (or, mid-body, no further part of it) within the timeout is closed, and so is one
    /// left idle that long between requests.
    static func httpServer(_ server: ServerConfiguration) -> HTTPServerBuilder {
        .http1(configuration: HTTP1Channel.Configuration(idleTimeout: server.idleTimeout.map { TimeAmount.milliseconds($0.wholeMilliseconds) }))
    }
}
