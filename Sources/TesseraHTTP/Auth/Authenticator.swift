import HTTPTypes
import Hummingbird
import TesseraCore
import TesseraStore

/// Turns a request's `Authorization: Bearer` header into verified, unrevoked claims.
///
/// Signature + claims + three in-memory lookups; never a Redis call.
struct Authenticator: Sendable {
    let verifier: TokenVerifier
    let revocations: RevocationView
    let follower: RevocationFollower
    let metrics: VerifyMetrics

    /// The longest `Authorization` header accepted (API.md).
    static let maxHeaderBytes = 8 * 1024

    /// - Throws: `APIError` 401 (`missingToken` or `invalid_token` with a reason), or 503 when
    ///   the revocation view is staler than the configured bound (the node fails closed).
    func authenticate(_ request: Request, nowMilliseconds: Int64 = Timestamp.nowMilliseconds()) throws(APIError) -> AccessTokenClaims {
        guard follower.isFresh(now: nowMilliseconds) else {
            metrics.record("stale")
            throw Self.stale
        }
        let token: Substring
        do {
            token = try Self.bearerToken(in: request)
        } catch {
            metrics.record("missing")
            throw error
        }
        let claims: AccessTokenClaims
        do {
            claims = try verifier.verify(token, now: nowMilliseconds / 1000)
        } catch {
            metrics.record(error.reason.description)
            throw APIError.invalidToken(error.message)
        }
        if let verdict = revocations.verdict(for: claims) {
            metrics.record(verdict.rawValue)
            throw APIError.invalidToken("the token has been revoked")
        }
        metrics.record("ok")
        return claims
    }

    static let stale = APIError.unavailable("token revocation state is stale; retry shortly", retryAfter: 1)

    /// The token of a `Bearer` header; anything else (`Basic …`, `Bearer` alone) is no credentials.
    static func bearerToken(in request: Request) throws(APIError) -> Substring {
        guard let header = request.headers[.authorization] else { throw APIError.missingToken }
        guard header.utf8.count <= maxHeaderBytes else { throw APIError.invalidToken("the Authorization header is too large") }
        guard header.utf8.count > 7, hasBearerScheme(header.utf8) else { throw APIError.missingToken }
        let token = header.dropFirst(7).drop(while: { $0 == " " })
        guard !token.isEmpty else { throw APIError.missingToken }
        return token
    }

    /// Whether the header starts with `Bearer ` in any ASCII case (RFC 6750: the scheme is
    /// case-insensitive), compared byte by byte so no lowercased copy is made.
    private static func hasBearerScheme(_ header: String.UTF8View) -> Bool {
        let scheme: StaticString = "bearer "
        var index = header.startIndex
        for offset in 0..<scheme.utf8CodeUnitCount {
            guard index < header.endIndex else { return false }
            let byte = header[index]
            let lowercased = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
            guard lowercased == scheme.utf8Start[offset] else { return false }
            index = header.index(after: index)
        }
        return true
    }
}
