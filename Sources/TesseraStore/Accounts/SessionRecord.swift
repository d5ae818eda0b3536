/// A session as the projection holds it. Times are ms since the epoch.
public struct SessionRecord: Sendable, Equatable {
    public var sessionID: String
    public var userID: String
    public var createdAt: Int64
    /// The last login or refresh.
    public var lastUsedAt: Int64
    /// When the current refresh token expires.
    public var expiresAt: Int64
    /// When the newest access token of the session expires.
    public var accessExpiresAt: Int64
    public var ip: String
    public var userAgent: String
    /// Set once revoked.
    public var revokedAt: Int64?
    /// SHA-256 (hex) of the session's current refresh token.
    public var refreshHash: String

    /// True when neither revoked nor expired at `now`.
    public func isLive(now: Int64) -> Bool {
        revokedAt == nil && expiresAt > now
    }

    init?(fields: [String: String]) {
        guard let sid = fields["sid"], let userID = fields["user_id"] else { return nil }
        self.sessionID = sid
        self.userID = userID
        self.createdAt = Int64(fields["created_at"] ?? "") ?? 0
        self.lastUsedAt = Int64(fields["last_used_at"] ?? "") ?? 0
        self.expiresAt = Int64(fields["expires_at"] ?? "") ?? 0
        self.accessExpiresAt = Int64(fields["access_expires_at"] ?? "") ?? 0
        self.ip = fields["ip"] ?? ""
        self.userAgent = fields["user_agent"] ?? ""
        self.revokedAt = fields["revoked_at"].flatMap { Int64($0) }
        self.refreshHash = fields["refresh_hash"] ?? ""
    }
}
