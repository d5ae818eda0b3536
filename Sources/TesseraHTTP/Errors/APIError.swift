public import HTTPTypes
public import Hummingbird
import NIOCore
public import TesseraCore

/// An error answer in the API's format: `{"error": CODE, "error_description": TEXT}`.
///
/// The description is meant for the client; internal details are logged, never put here.
public struct APIError: HTTPResponseError, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The OAuth-style error code (`invalid_request`, `invalid_grant`, ...).
    public var code: String
    /// A human sentence for the client.
    public var errorDescription: String
    /// Extra headers (`WWW-Authenticate`, `Retry-After`, ...).
    public var headers: HTTPFields

    /// Creates an error answer.
    public init(_ status: HTTPResponse.Status, _ code: String, _ description: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.errorDescription = description
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        var body = JSONObjectWriter(capacity: 64 + errorDescription.utf8.count)
        body.add("error", code)
        body.add("error_description", errorDescription)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body.finish())))
    }
}

extension APIError {
    /// 400 `invalid_request`: malformed or missing input.
    public static func invalidRequest(_ description: String) -> APIError {
        APIError(.badRequest, "invalid_request", description)
    }

    /// 400 `invalid_grant`: bad credentials, or a bad, expired or reused refresh token.
    public static func invalidGrant(_ description: String) -> APIError {
        APIError(.badRequest, "invalid_grant", description)
    }

    /// 400 `unsupported_grant_type`.
    public static let unsupportedGrantType = APIError(
        .badRequest,
        "unsupported_grant_type",
        "grant_type must be password or refresh_token"
    )

    /// 401 `invalid_token` with the RFC 6750 challenge.
    public static func invalidToken(_ description: String) -> APIError {
        let escaped = description.replacingQuotes()
        return APIError(
            .unauthorized,
            "invalid_token",
            description,
            headers: [.wwwAuthenticate: #"Bearer realm="tessera", error="invalid_token", error_description="\#(escaped)""#]
        )
    }

    /// 401 for a request with no credentials: the bare challenge.
    public static let missingToken = APIError(
        .unauthorized,
        "invalid_token",
        "missing bearer token",
        headers: [.wwwAuthenticate: #"Bearer realm="tessera""#]
    )

    /// 403 `insufficient_scope`: a role is missing.
    public static func insufficientScope(_ role: Role) -> APIError {
        APIError(
            .forbidden,
            "insufficient_scope",
            "this requires the role '\(role)'",
            headers: [.wwwAuthenticate: #"Bearer realm="tessera", error="insufficient_scope", scope="\#(role.rawValue.replacingQuotes())""#]
        )
    }

    /// 403 `forbidden`.
    public static func forbidden(_ description: String) -> APIError {
        APIError(.forbidden, "forbidden", description)
    }

    /// 404 `not_found`.
    public static func notFound(_ description: String) -> APIError {
        APIError(.notFound, "not_found", description)
    }

    /// 409 `conflict`.
    public static func conflict(_ description: String) -> APIError {
        APIError(.conflict, "conflict", description)
    }

    /// 413 `payload_too_large`.
    public static let payloadTooLarge = APIError(.contentTooLarge, "payload_too_large", "the request body exceeds 64 KiB")

    /// 429 `too_many_requests` with `Retry-After`.
    public static func tooManyRequests(_ description: String, retryAfter seconds: Int64) -> APIError {
        APIError(.tooManyRequests, "too_many_requests", description, headers: [.retryAfter: String(max(1, seconds))])
    }

    /// 503 `unavailable` with `Retry-After`.
    public static func unavailable(_ description: String, retryAfter seconds: Int64 = 1) -> APIError {
        APIError(.serviceUnavailable, "unavailable", description, headers: [.retryAfter: String(max(1, seconds))])
    }

    /// 500 `server_error`: never with internals.
    public static let internalFailure = APIError(.internalServerError, "server_error", "the server failed to handle this request")
}

extension String {
    /// The text with `"` and `\` removed, safe inside a quoted header parameter.
    fileprivate func replacingQuotes() -> String {
        String(unicodeScalars.filter { $0 != "\"" && $0 != "\\" && $0.value >= 0x20 && $0.value < 0x7F })
    }
}
