import Synchronization
public import TesseraCore

/// What one node holds in memory, and the one path that applies events to it.
///
/// It owns the revocation view, the `/users/me` cache and the view's freshness. The log
/// follower feeds it every event of the deployment; the node's own writes feed it the events
/// their scripts returned, before they answer. A token check needs nothing else: signature and
/// claims (``TokenVerifier``), then three in-memory lookups, and it fails closed when the view
/// is staler than `maxRevocationLag`.
///
/// Two rules keep it honest. The position it publishes (``appliedPosition``) is the follower's:
/// every event up to it has been applied, whatever the node applied of its own ahead of it.
/// And it is fresh only when the follower has read up to the head of the log within the lag
/// bound, measured on a monotonic clock, so neither a backlog nor a wall-clock step can make
/// a stale view look current.
public final class NodeState: Sendable {
    /// Checks signatures and claims.
    public let verifier: TokenVerifier
    /// Revoked sessions, tokens and users' not-before times.
    public let revocations: RevocationView
    /// `GET /users/me` answers by user id.
    public let profiles: UserProfileCache
    /// How long the view may go without catching up with the log before the node fails closed.
    public let maxRevocationLag: Duration
    /// The revocations the follower applied lately, in log order: what the revocation feed streams.
    public let journal: RevocationJournal
    /// The origin of `caughtUpAt`.
    private let origin = ContinuousClock.now
    /// Nanoseconds after `origin` of the last time the follower was at the head of the log; -1
    /// until the snapshot is loaded.
    private let caughtUpAt = Atomic<Int64>(-1)
    /// The newest event up to which the follower has applied the log.
    private let followerPosition = Mutex(EventID.zero)

    /// Creates the state of a node that has loaded nothing yet (so it is not fresh).
    public init(verifier: TokenVerifier, maxRevocationLag: Duration, profileCapacity: Int = 100_000, journalCapacity: Int = 10_000) {
        self.verifier = verifier
        self.revocations = RevocationView()
        self.profiles = UserProfileCache(capacity: profileCapacity)
        self.maxRevocationLag = maxRevocationLag
        self.journal = RevocationJournal(capacity: journalCapacity)
    }

    /// Verifies an access token and checks it against the revocation view.
    ///
    /// Signature + claims + three lookups; never a Redis call, never an allocation beyond the claims.
    /// - Parameter nowMilliseconds: the wall clock, for `exp` and `nbf`.
    /// - Throws: ``TokenCheckFailure``: `.stale` past the lag bound (checked first), `.rejected`, `.revoked`.
    public func authenticate(_ token: Substring, nowMilliseconds: Int64) throws(TokenCheckFailure) -> AccessTokenClaims {
        guard isFresh() else { throw .stale }
        let claims: AccessTokenClaims
        do {
            claims = try verifier.verify(token, now: nowMilliseconds / 1000)
        } catch {
            throw .rejected(error)
        }
        if let verdict = revocations.verdict(for: claims) { throw .revoked(verdict) }
        return claims
    }

    /// Applies the node's own events, before it answers. They may be ahead of the follower, so
    /// they never move ``appliedPosition``; the follower applies them again when it gets there
    /// (applying is idempotent).
    public func apply(_ events: [RecordedEvent]) {
        for event in events {
            revocations.apply(event)
            profiles.apply(event)
        }
    }

    /// Applies a batch the follower read, in log order: every event up to the last is applied,
    /// then recorded in the ``journal``.
    package func applyFromLog(_ events: [RecordedEvent]) {
        apply(events)
        guard let last = events.last?.id else { return }
        followerPosition.withLock { $0 = max($0, last) }
        var records: [RevocationJournal.Record] = []
        var revokedCredentials: [String] = []
        for event in events {
            if let entry = RevocationView.entry(for: event) {
                records.append(.init(id: event.id, entry: entry))
            } else if let revoked = try? event.decode(as: FeedCredentialRevoked.self) {
                revokedCredentials.append(revoked.credentialID)
            }
        }
        journal.append(records, through: last, revokedCredentials: revokedCredentials)
    }

    /// Applies revocations read from a Tessera node's revocation feed, every one up to
    /// `position`: the feed's counterpart of ``applyFromLog(_:)``.
    package func applyFromFeed(_ entries: [RevocationView.Entry], through position: EventID) {
        revocations.apply(entries, through: position)
        followerPosition.withLock { $0 = max($0, position) }
    }

    /// Drops revocations no unexpired token can match, keeping them the verifier's leeway longer.
    package func prune(nowMilliseconds: Int64) {
        revocations.prune(now: nowMilliseconds - verifier.leeway * 1000)
    }

    /// Replaces the view with a snapshot of the revocation projection: the follower's position
    /// is the snapshot's, and the node is fresh from now (the snapshot is the head).
    public func load(_ snapshot: RevocationSnapshot) {
        revocations.load(
            sessions: snapshot.sessions,
            tokens: snapshot.tokens,
            notBefore: snapshot.notBefore,
            notBeforeUntil: snapshot.notBeforeUntil,
            position: snapshot.position
        )
        followerPosition.withLock { $0 = snapshot.position }
        journal.reset(at: snapshot.position)
        markCaughtUp()
    }

    /// Records that the follower has read up to the head of the log at `instant` (now, or
    /// earlier for a feed's heartbeat that says how long ago its node was caught up). An
    /// instant before this state was made counts as its making: -1 means "never loaded".
    package func markCaughtUp(at instant: ContinuousClock.Instant = .now) {
        caughtUpAt.store(max(0, Self.nanoseconds(instant - origin)), ordering: .releasing)
    }

    /// Whether the view may be trusted: loaded, and caught up with the log within the bound.
    public func isFresh(at instant: ContinuousClock.Instant = .now) -> Bool {
        guard let lag = lag(at: instant) else { return false }
        return lag <= maxRevocationLag
    }

    /// How long since the follower was last at the head of the log; nil before the snapshot is loaded.
    public func lag(at instant: ContinuousClock.Instant = .now) -> Duration? {
        let caughtUp = caughtUpAt.load(ordering: .acquiring)
        guard caughtUp >= 0 else { return nil }
        return max(.zero, (instant - origin) - .nanoseconds(caughtUp))
    }

    /// The newest event up to which the follower has applied the log: what the node registry
    /// publishes, so a receipt never says this node has applied what it has not.
    public var appliedPosition: EventID {
        followerPosition.withLock { $0 }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
