import HTTPTypes
import Hummingbird
import TesseraCore

/// The token of an `Authorization: Bearer` header.
enum BearerToken {
    /// The longest `Authorization` header accepted.
    static let maxHeaderBytes = BearerCredentials.maxHeaderBytes

    /// The token, or nil for no credentials (no header, another scheme, `Bearer` alone).
    /// - Throws: ``TesseraAuthError`` 401 for a header over 8 KiB.
    static func find(in request: Request, realm: String) throws(TesseraAuthError) -> Substring? {
        switch BearerCredentials.read(request.headers[.authorization]) {
        case .none: return nil
        case .tooLarge: throw .invalidToken("the Authorization header is too large", realm: realm)
        case .token(let token): return token
        }
    }
}
