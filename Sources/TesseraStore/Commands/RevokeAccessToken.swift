public import TesseraCore

/// Revokes one access token by its `jti` (`AccessTokenRevoked`, RFC 7009); idempotent.
public struct RevokeAccessToken: ScriptCommand {
    /// The event appended; none when the token was already revoked.
    public typealias Outcome = [RecordedEvent]

    public static let script = ScriptName.revokeToken
    public static let mayRevoke = true
    public var revocation: AccessTokenRevoked

    /// Creates the command.
    public init(_ revocation: AccessTokenRevoked) {
        self.revocation = revocation
    }

    public func arguments() throws(StoreError) -> [String] {
        [try Self.json(revocation)]
    }

    public func outcome(of reply: ScriptReply) throws(StoreError) -> Outcome {
        guard let events = reply.events else { throw Self.unexpected(reply) }
        return events
    }
}
