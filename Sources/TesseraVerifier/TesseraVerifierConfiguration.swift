/// How an API node checks Tessera access tokens: which tokens it accepts, where its revocation
/// view comes from, and how stale that view may get.
///
/// Build it in code (a library never reads the environment); the defaults match a Tessera
/// node's (`maxRevocationLag` 2 s, no leeway).
public struct TesseraVerifierConfiguration: Sendable {
    /// Where the revocation view is fed from.
    public enum RevocationSource: Sendable {
        /// Redis directly, read-only: the deployment's log and revocation projection, with the
        /// snapshot-then-follow Tessera's own nodes use. `url` is `redis://[user:password@]host:port[/db]`
        /// or `unix:///path`; `keyPrefix` is the deployment's `--key-prefix`.
        case redis(url: String, keyPrefix: String = "tessera:")
        /// A Tessera node's revocation feed over HTTP (`GET /revocations/snapshot`, then
        /// `GET /revocations/events`), for nodes that may not reach Redis. `baseURL` is the node's
        /// `http://host:port`; `credential` the `ID.SECRET` that `tessera feed-credential issue` printed.
        case feed(baseURL: String, credential: String)
    }

    /// The `iss` every token must carry: the deployment's `--issuer`.
    public var issuer: String
    /// The `aud` tokens must contain, when the deployment sets `--audience`.
    public var audience: String?
    /// HS256 shared secrets (each at least 32 bytes), the deployment's signing secret first.
    public var hs256Secrets: [[UInt8]]
    /// A Tessera node's `/.well-known/jwks.json`, for EdDSA: fetched at start and again when a
    /// token names an unknown `kid` (at most once per ``jwksRefetchInterval``).
    public var jwksURL: String?
    /// Where revocations come from.
    public var source: RevocationSource
    /// Past this without catching up with the log, every check answers "stale".
    public var maxRevocationLag: Duration
    /// Seconds of clock skew tolerated on `exp` and `nbf`; revocations are kept as much longer.
    public var leeway: Int64
    /// The least time between two JWKS fetches caused by unknown `kid`s.
    public var jwksRefetchInterval: Duration

    /// Creates a configuration.
    public init(
        issuer: String,
        audience: String? = nil,
        hs256Secrets: [[UInt8]] = [],
        jwksURL: String? = nil,
        source: RevocationSource,
        maxRevocationLag: Duration = .seconds(2),
        leeway: Int64 = 0,
        jwksRefetchInterval: Duration = .seconds(10)
    ) {
        self.issuer = issuer
        self.audience = audience
        self.hs256Secrets = hs256Secrets
        self.jwksURL = jwksURL
        self.source = source
        self.maxRevocationLag = maxRevocationLag
        self.leeway = leeway
        self.jwksRefetchInterval = jwksRefetchInterval
    }
}

extension TesseraVerifierConfiguration.RevocationSource {
    /// The Redis 7 ACL rules of a user that may run the `.redis` source and nothing else: read
    /// the log and the four revocation keys of the deployment, through the few commands the
    /// follower and the read-only snapshot script use. Every write is refused.
    ///
    /// Pass them after `ACL SETUSER NAME on >PASSWORD`. For `keyPrefix` `tessera:`:
    /// `resetkeys resetchannels -@all +ping +evalsha_ro +eval_ro +xread +xrevrange +zrangebyscore +hget
    /// %R~tessera:events %R~tessera:revoked-sessions %R~tessera:revoked-tokens %R~tessera:not-before %R~tessera:not-before-at`.
    /// (Add `+select` if the URL names a database other than 0, and `+role` for a
    /// `redis-sentinel://` URL: a connection checks with ROLE that it reached the master.)
    public static func redisACLRules(keyPrefix: String = "tessera:") -> [String] {
        ["resetkeys", "resetchannels", "-@all", "+ping", "+evalsha_ro", "+eval_ro", "+xread", "+xrevrange", "+zrangebyscore", "+hget"]
            + ["events", "revoked-sessions", "revoked-tokens", "not-before", "not-before-at"].map { "%R~" + keyPrefix + $0 }
    }
}
