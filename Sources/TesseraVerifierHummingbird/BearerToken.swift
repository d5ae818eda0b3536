import HTTPTypes
import Hummingbird

/// The token of an `Authorization: Bearer` header.
enum BearerToken {
    /// The longest `Authorization` header accepted.
    static let maxHeaderBytes = 8 * 1024

    /// The token, or nil for no credentials (no header, another scheme, `Bearer` alone).
    /// - Throws: ``TesseraAuthError`` 401 for a header over 8 KiB.
    static func find(in request: Request, realm: String) throws(TesseraAuthError) -> Substring? {
        guard let header = request.headers[.authorization] else { return nil }
        guard header.utf8.count <= maxHeaderBytes else { throw .invalidToken("the Authorization header is too large", realm: realm) }
        guard header.utf8.count > 7, header.utf8.prefix(7).lazy.map({ $0 | 0x20 }).elementsEqual("bearer ".utf8) else { return nil }
        // Cut by bytes, as the scheme was matched: by Characters, a mark that combines with the
        // space would be cut off with it, and `Bearer \u{301}TOKEN` would read as `TOKEN`.
        let token = Substring(header.utf8.dropFirst(7).drop(while: { $0 == UInt8(ascii: " ") }))
        return token.isEmpty ? nil : token
    }
}
