/// The wire format of the revocation feed that Tessera nodes serve to API nodes: Security Event
/// Tokens (RFC 8417) carrying the CAEP `session-revoked` event, delivered as Server-Sent Events
/// after a snapshot.
///
/// Each revocation is one SET: a session by its `sid` (subject format `opaque`), a user's
/// forced logout by issuer and `sub` (`iss_sub`, with `event_timestamp` the not-before time),
/// one access token by issuer and `jti` (`jwt_id`). Beside the standard members, the event
/// carries `tessera_drop_after`: milliseconds since the epoch after which no token it could
/// match is valid, so a client can drop the entry then.
public enum RevocationFeed {
    /// The CAEP event type every SET of the feed carries.
    public static let sessionRevoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked"

    /// One Security Event Token, as an unsigned JSON claims set.
    public struct SecurityEvent: Codable, Sendable, Equatable {
        /// The Tessera deployment's issuer.
        public var iss: String
        /// Unique per SET: the log event's id in a stream, `KIND:ID` in a snapshot.
        public var jti: String
        /// When the SET was issued (NumericDate).
        public var iat: Int64
        /// Event type URI → event; the feed uses only ``sessionRevoked``.
        public var events: [String: SessionRevoked]

        /// Creates a SET.
        public init(iss: String, jti: String, iat: Int64, events: [String: SessionRevoked]) {
            self.iss = iss
            self.jti = jti
            self.iat = iat
            self.events = events
        }
    }

    /// The body of a CAEP `session-revoked` event.
    public struct SessionRevoked: Codable, Sendable, Equatable {
        /// What is revoked.
        public var subject: Subject
        /// When it was revoked (NumericDate); for a user, tokens issued before it are revoked.
        public var eventTimestamp: Int64
        /// Milliseconds since the epoch after which the entry may be dropped.
        public var dropAfter: Int64

        /// Creates an event.
        public init(subject: Subject, eventTimestamp: Int64, dropAfter: Int64) {
            self.subject = subject
            self.eventTimestamp = eventTimestamp
            self.dropAfter = dropAfter
        }

        enum CodingKeys: String, CodingKey {
            case subject
            case eventTimestamp = "event_timestamp"
            case dropAfter = "tessera_drop_after"
        }
    }

    /// A subject identifier (RFC 9493 / SSF formats `opaque`, `iss_sub`, `jwt_id`).
    public struct Subject: Codable, Sendable, Equatable {
        /// `opaque`, `iss_sub` or `jwt_id`.
        public var format: String
        /// `opaque`: the session id.
        public var id: String?
        /// `iss_sub` and `jwt_id`: the issuer.
        public var iss: String?
        /// `iss_sub`: the user id.
        public var sub: String?
        /// `jwt_id`: the access token's `jti`.
        public var jti: String?

        /// Creates a subject.
        public init(format: String, id: String? = nil, iss: String? = nil, sub: String? = nil, jti: String? = nil) {
            self.format = format
            self.id = id
            self.iss = iss
            self.sub = sub
            self.jti = jti
        }
    }

    /// `GET /revocations/snapshot`: every live revocation and the log position it reflects.
    ///
    /// Shaped after an RFC 8936 poll response (`sets` keyed by `jti`, `moreAvailable`), plus
    /// the position to stream from and the node's clock.
    public struct Snapshot: Codable, Sendable {
        /// The log position the snapshot reflects: pass it as `Last-Event-ID` to the stream.
        public var position: String
        /// The node's wall clock when it took the snapshot (ms since the epoch).
        public var time: Int64
        /// The SETs by `jti`.
        public var sets: [String: SecurityEvent]
        /// Always false: a snapshot is one answer.
        public var moreAvailable: Bool

        /// Creates a snapshot body.
        public init(position: String, time: Int64, sets: [String: SecurityEvent], moreAvailable: Bool = false) {
            self.position = position
            self.time = time
            self.sets = sets
            self.moreAvailable = moreAvailable
        }
    }

    /// The data of a `heartbeat` event: the node is caught up with the log through `position`.
    public struct Heartbeat: Codable, Sendable, Equatable {
        /// The newest event the node's follower has applied; also the event's SSE id.
        public var position: String
        /// The node's wall clock (ms since the epoch).
        public var time: Int64
        /// How long since the node's follower was last at the head of the log (ms).
        public var lagMilliseconds: Int64

        /// Creates a heartbeat.
        public init(position: String, time: Int64, lagMilliseconds: Int64) {
            self.position = position
            self.time = time
            self.lagMilliseconds = lagMilliseconds
        }

        enum CodingKeys: String, CodingKey {
            case position
            case time
            case lagMilliseconds = "lag_ms"
        }
    }

    /// The SET of one revocation.
    public static func securityEvent(for entry: RevocationView.Entry, issuer: String, jti: String, issuedAt: Int64) -> SecurityEvent {
        let event: SessionRevoked
        switch entry {
        case .session(let sid, let until):
            event = SessionRevoked(subject: Subject(format: "opaque", id: sid), eventTimestamp: issuedAt, dropAfter: until)
        case .token(let tokenID, let until):
            event = SessionRevoked(subject: Subject(format: "jwt_id", iss: issuer, jti: tokenID), eventTimestamp: issuedAt, dropAfter: until)
        case .notBefore(let user, let seconds, let until):
            event = SessionRevoked(subject: Subject(format: "iss_sub", iss: issuer, sub: user), eventTimestamp: seconds, dropAfter: until)
        }
        return SecurityEvent(iss: issuer, jti: jti, iat: issuedAt, events: [sessionRevoked: event])
    }

    /// The `jti` of a snapshot's SET for `entry`: unique within the snapshot.
    public static func snapshotID(for entry: RevocationView.Entry) -> String {
        switch entry {
        case .session(let sid, _): "session:" + sid
        case .token(let tokenID, _): "token:" + tokenID
        case .notBefore(let user, _, _): "user:" + user
        }
    }

    /// The revocation a SET carries, or nil for a SET of another kind (which a client skips).
    public static func entry(in set: SecurityEvent) -> RevocationView.Entry? {
        guard let event = set.events[sessionRevoked] else { return nil }
        let subject = event.subject
        switch subject.format {
        case "opaque": return subject.id.map { .session(id: $0, until: event.dropAfter) }
        case "jwt_id": return subject.jti.map { .token(id: $0, until: event.dropAfter) }
        case "iss_sub": return subject.sub.map { .notBefore(userID: $0, seconds: event.eventTimestamp, until: event.dropAfter) }
        default: return nil
        }
    }
}
