import HTTPTypes
import Hummingbird
import HummingbirdAuth
import TesseraCore
import TesseraStore

/// Turns a request's `Authorization: Bearer` header into verified, unrevoked claims in
/// `context.identity`, as hummingbird-auth's authenticators do.
///
/// No bearer token: no identity (the route's ``RequireIdentity`` answers 401 with the bare
/// challenge). A bad or revoked token: 401 `invalid_token`. A stale revocation view: 503,
/// checked first — the node fails closed. Signature + claims + three in-memory lookups;
/// never a Redis call.
struct BearerAuthenticator: AuthenticatorMiddleware {
    typealias Context = TesseraRequestContext
    let state: NodeState
    let metrics: VerifyMetrics

    /// The longest `Authorization` header accepted.
    static let maxHeaderBytes = 8 * 1024

    func authenticate(request: Request, context: Context) async throws -> AccessTokenClaims? {
        try authenticate(request)
    }

    /// - Returns: nil when the request carries no bearer token.
    /// - Throws: `TokenCheckFailure` or `APIError` (an oversized header).
    func authenticate(_ request: Request, nowMilliseconds: Int64 = Timestamp.nowMilliseconds()) throws -> AccessTokenClaims? {
        guard state.isFresh() else {
            metrics.record("stale")
            throw TokenCheckFailure.stale
        }
        guard let token = try Self.bearerToken(in: request) else {
            metrics.record("missing")
            return nil
        }
        do {
            let claims = try state.authenticate(token, nowMilliseconds: nowMilliseconds)
            metrics.record("ok")
            return claims
        } catch {
            metrics.record(error.label)
            throw error
        }
    }

    /// The token of a `Bearer` header; nil for no credentials (no header, `Basic …`, `Bearer` alone).
    /// - Throws: `APIError` 401 for a header over 8 KiB.
    package static func bearerToken(in request: Request) throws(APIError) -> Substring? {
        guard let header = request.headers[.authorization] else { return nil }
        guard header.utf8.count <= maxHeaderBytes else { throw APIError.invalidToken("the Authorization header is too large") }
        guard header.utf8.count > 7, hasBearerScheme(header.utf8) else { return nil }
        // Cut by bytes, as the scheme was matched: by Characters, a mark that combines with the
        // space would be cut off with it, and `Bearer \u{301}TOKEN` would read as `TOKEN`.
        let token = Substring(header.utf8.dropFirst(7).drop(while: { $0 == UInt8(ascii: " ") }))
        return token.isEmpty ? nil : token
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
