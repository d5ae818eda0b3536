import ArgumentParser

/// The flags of `tessera serve`, each also read as `TESSERA_<FLAG>` (upper case, `-` → `_`).
///
/// Every option is optional here so that an unset flag can fall back to the environment; the
/// defaults are applied by ``makeSettings(environment:logger:)``.
struct ServeOptions: ParsableArguments {
    @OptionGroup var redis: RedisOptions

    @Option(help: "Address to bind (default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to bind; 0 picks a free one (default 8080).")
    var port: Int?

    @Option(
        name: .customLong("idle-timeout"),
        help: """
            Seconds a connection may go without sending a whole request head (or the next piece of a body), or sit idle \
            between requests, before it is closed; 0 turns it off (default 60). An answer being sent is never cut.
            """
    )
    var idleTimeoutSeconds: Double?

    @Option(
        name: .customLong("trusted-proxy"),
        help: """
            CIDR (or single address) of a reverse proxy whose Forwarded / X-Forwarded-For headers name the client, for the \
            per-IP failure limit and session listings; the rightmost hop that is not a trusted proxy is the client. \
            Repeat for several. From other peers those headers are ignored. Env: TESSERA_TRUSTED_PROXY (comma-separated).
            """
    )
    var trustedProxies: [String] = []

    @Option(help: "The iss of every token; every node must share it (default http://localhost:8080, whatever the port).")
    var issuer: String?

    @Option(help: "The aud of every token, checked when set (default none).")
    var audience: String?

    @Option(name: .customLong("access-ttl"), help: "Access token lifetime in seconds (default 900).")
    var accessTTLSeconds: Int?

    @Option(name: .customLong("refresh-ttl"), help: "Refresh token (session) lifetime in seconds (default 2592000, 30 days).")
    var refreshTTLSeconds: Int?

    @Option(name: .customLong("signing-alg"), help: "HS256 or EdDSA: the algorithm new tokens are signed with (default HS256).")
    var signingAlgorithm: String?

    @Option(
        name: .customLong("hs256-secret-file"),
        help: """
            File holding an HS256 secret of at least 32 bytes (one trailing newline stripped). Repeat to rotate: the first \
            signs, all verify. Env: TESSERA_HS256_SECRET_FILE (comma-separated) or TESSERA_HS256_SECRET (the secret itself).
            """
    )
    var hs256SecretFiles: [String] = []

    @Option(
        name: .customLong("ed25519-key-file"),
        help: """
            Ed25519 private key: PKCS#8 PEM or a raw 32-byte seed. Repeat to rotate: the first signs, all verify. With EdDSA \
            a missing first file is created (mode 0600) with a warning. Env: TESSERA_ED25519_KEY_FILE (comma-separated).
            """
    )
    var ed25519KeyFiles: [String] = []

    @Option(help: "open or closed: whether POST /users lets anyone register (default open).")
    var registration: String?

    @Option(
        name: .customLong("max-revocation-lag"),
        help: "Seconds the revocation view may fall behind the log before the node fails closed (default 2)."
    )
    var maxRevocationLagSeconds: Double?

    @Option(
        name: .customLong("min-replicas-ack"),
        help: """
            Replicas that must confirm every revocation (WAIT) before it is acknowledged; if fewer do within \
            --replica-ack-timeout the answer is 503, the event being in the log but not durably acknowledged (default 0: no wait).
            """
    )
    var minReplicasAck: Int?

    @Option(
        name: .customLong("replica-ack-timeout"),
        help: "Seconds a revocation waits for --min-replicas-ack replicas before answering 503 (default 1)."
    )
    var replicaAckTimeoutSeconds: Double?

    @Option(
        name: .customLong("refresh-reuse-grace"),
        help: "Seconds a just-rotated refresh token may be presented again without counting as reuse (default 0)."
    )
    var refreshReuseGraceSeconds: Int?

    @Option(
        name: .customLong("lockout-threshold"),
        help: "Consecutive failed logins within 15 minutes that lock a username; 0 turns it off (default 5)."
    )
    var lockoutThreshold: Int?

    @Option(
        name: .customLong("ip-failure-limit"),
        help: "Failed logins per client IP within 15 minutes before 429; 0 turns it off (default 100)."
    )
    var ipFailureLimit: Int?
}
