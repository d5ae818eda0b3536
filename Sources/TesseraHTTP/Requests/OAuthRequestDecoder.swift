import Foundation
import Hummingbird

/// The parameters of an OAuth endpoint's body, read from a form or from JSON.
protocol OAuthParameters: Decodable, Sendable {
    /// The parameters from a form body; those absent are nil.
    init(form: FormParameters)
}

/// Decodes the body of an OAuth endpoint (`/token`, `/revoke`, `/introspect`) by its content
/// type: `application/x-www-form-urlencoded` (RFC 6749; also when there is no content type) or
/// `application/json`. A repeated form parameter is refused (RFC 6749 §3.2).
enum OAuthRequestDecoder {
    static func decode<T: OAuthParameters>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            return try await JSONDecoder().decode(type, from: request, context: context)
        }
        guard contentType.isEmpty || contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw HTTPError(.badRequest, message: "the body must be application/x-www-form-urlencoded or application/json")
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        guard String(validating: body.readableBytesView, as: UTF8.self) != nil else {
            throw HTTPError(.badRequest, message: "form values must be UTF-8")
        }
        do {
            return T(form: try FormParameters(body.readableBytesView))
        } catch {
            throw HTTPError(.badRequest, message: "the form body is malformed: \(error == .repeated ? "a parameter is repeated" : "bad encoding")")
        }
    }
}

extension Request {
    /// The body of an OAuth endpoint, form or JSON (see ``OAuthRequestDecoder``).
    /// - Throws: `HTTPError` 400 (`invalid_request`) for a body that does not decode, naming
    ///   the parameter, never echoing a value; 413 past 64 KiB.
    func decodeOAuthBody<Body: OAuthParameters>(as type: Body.Type, context: TesseraRequestContext) async throws -> Body {
        do {
            return try await OAuthRequestDecoder.decode(type, from: self, context: context)
        } catch let error as DecodingError {
            throw HTTPError(.badRequest, message: Self.describe(error))
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context) where context.codingPath.isEmpty, .dataCorrupted(let context) where context.codingPath.isEmpty:
            "the body must be a form or a JSON object"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "the '\(context.codingPath.map(\.stringValue).joined(separator: "."))' parameter must be a string"
        case .keyNotFound(let key, _):
            "the '\(key.stringValue)' parameter is required"
        @unknown default:
            "malformed request"
        }
    }
}
