import HTTPTypes
import Hummingbird
import TesseraCore

/// Turns a request's `Authorization: Bearer` header into verified, unrevoked claims.
///
/// Signature + claims + three in-memory lookups; never a Redis call.
struct Authenticator: Sendable {
    let verifier: TokenVerifier
    let revocations: RevocationView

    /// The longest `Authorization` header accepted (API.md).
    static let maxHeaderBytes = 8 * 1024

    /// - Throws: `APIError` 401 (`missingToken` or `invalid_token` with a reason).
    func authenticate(_ request: Request, now: Int64 = Clock.nowSeconds()) throws(APIError) -> AccessTokenClaims {
        let token = try Self.bearerToken(in: request)
        let claims: AccessTokenClaims
        do {
            claims = try verifier.verify(token, now: now)
        } catch {
            throw APIError.invalidToken(error.message)
        }
        if revocations.verdict(for: claims) != nil {
            throw APIError.invalidToken("the token has been revoked")
        }
        return claims
    }

    /// The token of a `Bearer` header; anything else (`Basic …`, `Bearer` alone) is no credentials.
    static func bearerToken(in request: Request) throws(APIError) -> Substring {
        guard let header = request.headers[.authorization] else { throw APIError.missingToken }
        guard header.utf8.count <= maxHeaderBytes else { throw APIError.invalidToken("the Authorization header is too large") }
        guard header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else { throw APIError.missingToken }
        let token = header.dropFirst(7).drop(while: { $0 == " " })
        guard !token.isEmpty else { throw APIError.missingToken }
        return token
    }
}
