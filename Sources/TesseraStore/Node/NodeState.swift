import Synchronization
public import TesseraCore

/// What one node holds in memory, and the one path that applies events to it.
///
/// It owns the revocation view, the `/users/me` cache and the view's freshness. The log
/// follower feeds it every event of the deployment; the node's own revoking calls feed it the
/// events their scripts returned, before they answer. A token check needs nothing else:
/// signature and claims (``TokenVerifier``), then three in-memory lookups, and it fails closed
/// when the view is staler than `maxRevocationLag`.
public final class NodeState: Sendable {
    /// Checks signatures and claims.
    public let verifier: TokenVerifier
    /// Revoked sessions, tokens and users' not-before times.
    public let revocations: RevocationView
    /// `GET /users/me` answers by user id.
    public let profiles: UserProfileCache
    /// How long the view may go without hearing from Redis before the node fails closed.
    public let maxRevocationLag: Duration
    /// ms of the last round trip with Redis; 0 until the snapshot is loaded.
    private let lastHeard = Atomic<Int64>(0)

    /// Creates the state of a node that has loaded nothing yet (so it is not fresh).
    public init(verifier: TokenVerifier, accessTokenTTL: Duration, maxRevocationLag: Duration, profileCapacity: Int = 100_000) {
        self.verifier = verifier
        self.revocations = RevocationView(accessTokenTTLSeconds: accessTokenTTL.wholeSeconds)
        self.profiles = UserProfileCache(capacity: profileCapacity)
        self.maxRevocationLag = maxRevocationLag
    }

    /// Verifies an access token and checks it against the revocation view.
    ///
    /// Signature + claims + three lookups; never a Redis call, never an allocation beyond the claims.
    /// - Throws: ``TokenCheckFailure``: `.stale` past the lag bound (checked first), `.rejected`, `.revoked`.
    public func authenticate(_ token: Substring, nowMilliseconds: Int64) throws(TokenCheckFailure) -> AccessTokenClaims {
        guard isFresh(nowMilliseconds: nowMilliseconds) else { throw .stale }
        let claims: AccessTokenClaims
        do {
            claims = try verifier.verify(token, now: nowMilliseconds / 1000)
        } catch {
            throw .rejected(error)
        }
        if let verdict = revocations.verdict(for: claims) { throw .revoked(verdict) }
        return claims
    }

    /// Applies events of the log, in log order: the node's own, before it answers, and the
    /// follower's. Idempotent; an event applied twice changes nothing the second time.
    public func apply(_ events: [RecordedEvent]) {
        for event in events {
            revocations.apply(event)
            profiles.apply(event)
        }
    }

    /// Replaces the view with a snapshot of the revocation projection; the node is fresh from now.
    public func load(_ snapshot: RevocationSnapshot, nowMilliseconds: Int64) {
        revocations.load(
            sessions: snapshot.sessions,
            tokens: snapshot.tokens,
            notBefore: snapshot.notBefore,
            position: snapshot.position
        )
        markHeard(nowMilliseconds: nowMilliseconds)
    }

    /// Records a round trip with Redis (events or an empty read).
    public func markHeard(nowMilliseconds: Int64) {
        lastHeard.store(nowMilliseconds, ordering: .releasing)
    }

    /// Whether the view may be trusted at `nowMilliseconds`: loaded, and Redis heard from within the bound.
    public func isFresh(nowMilliseconds: Int64) -> Bool {
        let heard = lastHeard.load(ordering: .acquiring)
        return heard > 0 && nowMilliseconds - heard <= maxRevocationLag.wholeMilliseconds
    }

    /// Milliseconds since Redis was last heard from; nil before the snapshot is loaded.
    public func lagMilliseconds(nowMilliseconds: Int64) -> Int64? {
        let heard = lastHeard.load(ordering: .acquiring)
        return heard > 0 ? max(0, nowMilliseconds - heard) : nil
    }

    /// The newest event the view has applied, which the node registry publishes.
    public var appliedPosition: EventID {
        revocations.appliedThrough
    }
}
