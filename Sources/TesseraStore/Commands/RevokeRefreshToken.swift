public import TesseraCore

/// Revokes the session of a refresh token (`SessionRevoked`, reason `revocation_endpoint`).
///
/// An unknown token, or one whose session is already revoked, appends nothing.
public struct RevokeRefreshToken: ScriptCommand {
    /// The event appended; none when there was nothing live to revoke.
    public typealias Outcome = [RecordedEvent]

    public static let script = ScriptName.revokeRefresh
    public static let mayRevoke = true
    /// SHA-256 (hex) of the refresh token.
    public var refreshHash: String

    /// Creates the command.
    public init(refreshHash: String) {
        self.refreshHash = refreshHash
    }

    public func arguments() throws(StoreError) -> [String] {
        [refreshHash]
    }

    public func outcome(of reply: ScriptReply) throws(StoreError) -> Outcome {
        guard let events = reply.events else { throw Self.unexpected(reply) }
        return events
    }
}
