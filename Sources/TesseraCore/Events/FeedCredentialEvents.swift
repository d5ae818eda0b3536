// Payloads of the credentials API nodes present to read a Tessera node's revocation feed.

/// An operator issued an API node a credential for the revocation feed.
///
/// Only the SHA-256 of the credential's secret is in the log, never the secret.
public struct FeedCredentialIssued: EventPayload, Equatable {
    public static let type = EventType.feedCredentialIssued
    public static let version = 1

    /// The credential's public id, the part before the dot.
    public var credentialID: String
    /// The API node it was issued for, as the operator named it.
    public var name: String
    /// Lowercase hex SHA-256 of the secret, the part after the dot.
    public var secretHash: String

    /// Creates the event.
    public init(credentialID: String, name: String, secretHash: String) {
        self.credentialID = credentialID
        self.name = name
        self.secretHash = secretHash
    }

    enum CodingKeys: String, CodingKey {
        case credentialID = "credential_id"
        case name
        case secretHash = "secret_hash"
    }
}

/// An operator revoked a feed credential: it opens no feed any more, and streams open with it are cut.
public struct FeedCredentialRevoked: EventPayload, Equatable {
    public static let type = EventType.feedCredentialRevoked
    public static let version = 1

    /// The credential's public id.
    public var credentialID: String

    /// Creates the event.
    public init(credentialID: String) {
        self.credentialID = credentialID
    }

    enum CodingKeys: String, CodingKey {
        case credentialID = "credential_id"
    }
}
