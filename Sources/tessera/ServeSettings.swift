import TesseraAuth
import TesseraHTTP

/// Everything `tessera serve` runs with, resolved from flags, environment and defaults.
struct ServeSettings: Sendable {
    /// The node's configuration.
    var configuration: TesseraConfiguration
    /// Where its HTTP server listens.
    var server: ServerConfiguration
    /// Where the event store lives.
    var redis: RedisSettings
    /// The admin to create at start (`TESSERA_ADMIN_USERNAME`/`TESSERA_ADMIN_PASSWORD`), if any.
    var admin: AdminCredentials?
}

/// The bootstrap admin's name and password (the password's raw bytes).
struct AdminCredentials: Sendable {
    var username: String
    var password: [UInt8]
}
