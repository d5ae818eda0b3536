public import TesseraCore

/// Why a token check did not give claims.
public enum TokenCheckFailure: Error, Sendable {
    /// The node's revocation view is staler than the configured bound: the node fails closed.
    case stale
    /// The token does not verify (signature, shape, header, claims, expiry).
    case rejected(TokenRejection)
    /// The token verifies but is revoked.
    case revoked(RevocationView.Verdict)

    /// A label for metrics: `stale`, the rejection's reason, or the revocation verdict.
    public var label: String {
        switch self {
        case .stale: "stale"
        case .rejected(let rejection): rejection.reason.description
        case .revoked(let verdict): verdict.rawValue
        }
    }
}
