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
    static let maxHeaderBytes = BearerCredentials.maxHeaderBytes

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
        switch BearerCredentials.read(request.headers[.authorization]) {
        case .none: return nil
        case .tooLarge: throw APIError.invalidToken("the Authorization header is too large")
        case .token(let token): return token
        }
    }
}
