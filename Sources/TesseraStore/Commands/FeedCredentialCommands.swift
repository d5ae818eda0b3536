import RedisClient
public import TesseraCore

/// Issues an API node a feed credential (`FeedCredentialIssued`).
public struct IssueFeedCredential: ScriptCommand {
    /// What issuing did.
    public enum Outcome: Sendable, Equatable {
        /// The credential exists from the appended event on.
        case issued([RecordedEvent])
        /// A credential with this id exists already; nothing was appended.
        case exists
    }

    public static let script = ScriptName.feedCredential
    public var issued: FeedCredentialIssued

    /// Creates the command.
    public init(_ issued: FeedCredentialIssued) {
        self.issued = issued
    }

    public func arguments() throws(StoreError) -> [String] {
        ["issue", try Self.json(issued)]
    }

    public func outcome(of reply: ScriptReply) throws(StoreError) -> Outcome {
        switch reply {
        case .appended(let events, _): .issued(events)
        case .rejected("exists", _): .exists
        default: throw Self.unexpected(reply)
        }
    }
}

/// Revokes an API node's feed credential (`FeedCredentialRevoked`): nodes cut its open streams.
public struct RevokeFeedCredential: ScriptCommand {
    /// What revoking did.
    public enum Outcome: Sendable, Equatable {
        /// The credential is revoked from the appended event on.
        case revoked([RecordedEvent])
        /// No live credential has this id; nothing was appended.
        case unknown
    }

    public static let script = ScriptName.feedCredential
    public static let mayRevoke = true
    public var revoked: FeedCredentialRevoked

    /// Creates the command.
    public init(credentialID: String) {
        self.revoked = FeedCredentialRevoked(credentialID: credentialID)
    }

    public func arguments() throws(StoreError) -> [String] {
        ["revoke", try Self.json(revoked)]
    }

    public func outcome(of reply: ScriptReply) throws(StoreError) -> Outcome {
        switch reply {
        case .appended(let events, _): .revoked(events)
        case .rejected("unknown_credential", _): .unknown
        default: throw Self.unexpected(reply)
        }
    }
}

extension EventStore {
    /// The stored secret hash of a live feed credential, or nil when there is none with this id.
    public func feedCredentialHash(id: String) async throws(StoreError) -> String? {
        try await value(RedisCommand("HGET", key("feed-credential", id), "secret_hash")).string
    }
}
