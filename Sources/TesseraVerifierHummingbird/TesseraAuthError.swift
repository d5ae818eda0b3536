public import HTTPTypes
public import Hummingbird
import NIOCore

/// An answer of the middleware: 401 `invalid_token`, 403 `insufficient_scope` or 503
/// `unavailable`, with an RFC 6750 challenge or `Retry-After`, and a JSON body
/// `{"error": CODE, "error_description": TEXT}` as Tessera's own API answers.
public struct TesseraAuthError: HTTPResponseError, Sendable {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// The error code of the body (`invalid_token`, `insufficient_scope`, `unavailable`).
    public let code: String
    /// A sentence for the client.
    public let errorDescription: String
    /// `WWW-Authenticate` or `Retry-After`.
    public let headers: HTTPFields

    /// 401 for a bad, expired or revoked token.
    public static func invalidToken(_ description: String, realm: String) -> TesseraAuthError {
        TesseraAuthError(
            status: .unauthorized,
            code: "invalid_token",
            errorDescription: description,
            headers: [.wwwAuthenticate: #"Bearer realm="\#(realm)", error="invalid_token", error_description="\#(escaped(description))""#]
        )
    }

    /// 401 for a request without a bearer token on a route that needs one.
    public static func missingToken(realm: String) -> TesseraAuthError {
        TesseraAuthError(
            status: .unauthorized,
            code: "invalid_token",
            errorDescription: "missing bearer token",
            headers: [.wwwAuthenticate: #"Bearer realm="\#(realm)""#]
        )
    }

    /// 403 for a caller without the role the route requires.
    public static func insufficientScope(_ role: String, realm: String) -> TesseraAuthError {
        TesseraAuthError(
            status: .forbidden,
            code: "insufficient_scope",
            errorDescription: "this requires the role '\(role)'",
            headers: [.wwwAuthenticate: #"Bearer realm="\#(realm)", error="insufficient_scope", scope="\#(escaped(role))""#]
        )
    }

    /// 503 while the revocation view is stale: the node fails closed.
    public static func unavailable(realm: String) -> TesseraAuthError {
        TesseraAuthError(
            status: .serviceUnavailable,
            code: "unavailable",
            errorDescription: "token checks are unavailable: the revocation view is not current",
            headers: [.retryAfter: "1"]
        )
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let body = #"{"error":"\#(code)","error_description":"\#(Self.escaped(errorDescription))"}"#
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Quotes and backslashes escaped, control characters dropped: safe in a quoted header
    /// value and in a JSON string.
    private static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars where scalar.value >= 0x20 {
            if scalar == "\"" || scalar == "\\" { result.append("\\") }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}
