public import TesseraCore
public import TesseraPasswords
public import TesseraStore

/// Everything one node's use cases need besides Redis: token policy, keys, limits.
///
/// The executable fills it from flags and `TESSERA_*` variables; tests build it directly.
public struct TesseraConfiguration: Sendable {
    /// The `iss` of every token; every node of a deployment must share it.
    public var issuer: String
    /// The `aud` of every token, checked when set.
    public var audience: String?
    /// How long an access token lives (whole seconds count).
    public var accessTokenTTL: Duration
    /// How long a refresh token (a session, between refreshes) lives.
    public var refreshTokenTTL: Duration
    /// The signing keys: the first signs, all verify.
    public var keys: KeySet
    /// Whether `POST /users` is open to anyone.
    public var isRegistrationOpen: Bool
    /// How long a just-rotated refresh token may be presented again for the same answer (0: never).
    public var refreshReuseGrace: Duration
    /// Failed-login lockout.
    public var lockout: LockoutPolicy
    /// How stale the revocation view may get before the node fails closed.
    public var maxRevocationLag: Duration
    /// The password hashing pool.
    public var passwordHashing: PasswordHasher.Configuration

    /// The defaults, which `tessera serve` falls back to as well.
    public enum Defaults {
        public static let issuer = "http://localhost:8080"
        public static let accessTokenTTL: Duration = .seconds(900)
        public static let refreshTokenTTL: Duration = .seconds(30 * 24 * 3600)
        public static let isRegistrationOpen = true
        public static let refreshReuseGrace: Duration = .zero
        public static let maxRevocationLag: Duration = .seconds(2)
    }

    /// Creates a configuration with the defaults.
    public init(
        issuer: String = Defaults.issuer,
        audience: String? = nil,
        accessTokenTTL: Duration = Defaults.accessTokenTTL,
        refreshTokenTTL: Duration = Defaults.refreshTokenTTL,
        keys: KeySet,
        isRegistrationOpen: Bool = Defaults.isRegistrationOpen,
        refreshReuseGrace: Duration = Defaults.refreshReuseGrace,
        lockout: LockoutPolicy = .init(),
        maxRevocationLag: Duration = Defaults.maxRevocationLag,
        passwordHashing: PasswordHasher.Configuration = .init()
    ) {
        self.issuer = issuer
        self.audience = audience
        self.accessTokenTTL = accessTokenTTL
        self.refreshTokenTTL = refreshTokenTTL
        self.keys = keys
        self.isRegistrationOpen = isRegistrationOpen
        self.refreshReuseGrace = refreshReuseGrace
        self.lockout = lockout
        self.maxRevocationLag = maxRevocationLag
        self.passwordHashing = passwordHashing
    }
}
