public import TesseraCore
public import TesseraStore

/// Everything one node needs besides its Redis: addresses, token policy, keys, limits.
///
/// The executable fills it from flags and `TESSERA_*` variables; tests build it directly.
public struct TesseraConfiguration: Sendable {
    /// Where to listen.
    public var server: ServerConfiguration
    /// The `iss` of every token; every node of a deployment must share it.
    public var issuer: String
    /// The `aud` of every token, checked when set.
    public var audience: String?
    /// Access token lifetime in seconds (API.md default 900).
    public var accessTokenTTL: Int64
    /// Refresh token (session) lifetime in seconds (default 30 days).
    public var refreshTokenTTL: Int64
    /// The signing keys: the first signs, all verify.
    public var keys: KeySet
    /// Whether `POST /users` is open to anyone.
    public var isRegistrationOpen: Bool
    /// Seconds during which a just-rotated refresh token may be presented again (default 0: never).
    public var refreshReuseGraceSeconds: Int64
    /// Failed-login lockout.
    public var lockout: LockoutPolicy
    /// How stale the revocation view may get before the node fails closed, in seconds.
    public var maxRevocationLagSeconds: Double
    /// The password hashing pool.
    public var passwordHashing: PasswordHasher.Configuration

    /// API.md's defaults, which `tessera serve` falls back to as well.
    public enum Defaults {
        public static let issuer = "http://localhost:8080"
        public static let accessTokenTTL: Int64 = 900
        public static let refreshTokenTTL: Int64 = 30 * 24 * 3600
        public static let isRegistrationOpen = true
        public static let refreshReuseGraceSeconds: Int64 = 0
        public static let maxRevocationLagSeconds: Double = 2
    }

    /// Creates a configuration with API.md's defaults.
    public init(
        server: ServerConfiguration = .init(),
        issuer: String = Defaults.issuer,
        audience: String? = nil,
        accessTokenTTL: Int64 = Defaults.accessTokenTTL,
        refreshTokenTTL: Int64 = Defaults.refreshTokenTTL,
        keys: KeySet,
        isRegistrationOpen: Bool = Defaults.isRegistrationOpen,
        refreshReuseGraceSeconds: Int64 = Defaults.refreshReuseGraceSeconds,
        lockout: LockoutPolicy = .init(),
        maxRevocationLagSeconds: Double = Defaults.maxRevocationLagSeconds,
        passwordHashing: PasswordHasher.Configuration = .init()
    ) {
        self.server = server
        self.issuer = issuer
        self.audience = audience
        self.accessTokenTTL = accessTokenTTL
        self.refreshTokenTTL = refreshTokenTTL
        self.keys = keys
        self.isRegistrationOpen = isRegistrationOpen
        self.refreshReuseGraceSeconds = refreshReuseGraceSeconds
        self.lockout = lockout
        self.maxRevocationLagSeconds = maxRevocationLagSeconds
        self.passwordHashing = passwordHashing
    }
}
