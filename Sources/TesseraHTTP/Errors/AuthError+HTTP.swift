public import HTTPTypes
public import Hummingbird
public import TesseraAuth
import TesseraCore
public import TesseraStore

/// The HTTP answer of every use-case error: the one place domain codes become statuses.
extension AuthError: HTTPResponseError {
    public var status: HTTPResponse.Status { apiError.status }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try apiError.response(from: request, context: context)
    }

    var apiError: APIError {
        let retryAfter = (retryAfter ?? .seconds(1)).wholeSeconds
        switch code {
        case .invalidInput, .unsupportedHash: return .invalidRequest(message)
        case .invalidGrant: return .invalidGrant(message)
        case .invalidToken: return .invalidToken(message)
        case .registrationClosed: return .forbidden(message)
        case .notFound: return .notFound(message)
        case .usernameTaken, .passwordChangedMeanwhile: return .conflict(message)
        case .locked: return .tooManyRequests(message, retryAfter: retryAfter)
        case .overloaded, .storeFailure: return .unavailable(message, retryAfter: retryAfter)
        case .notDurablyAcknowledged:
            var error = APIError.unavailable(message, retryAfter: retryAfter)
            if let receipt { error.headers[.revocationID] = receipt.description }
            return error
        default: return .internalFailure
        }
    }
}

/// The HTTP answer of a failed token check: 401 with the RFC 6750 challenge, or 503 when the
/// node fails closed.
extension TokenCheckFailure: HTTPResponseError {
    public var status: HTTPResponse.Status { apiError.status }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try apiError.response(from: request, context: context)
    }

    var apiError: APIError {
        switch self {
        case .stale: .unavailable("token revocation state is stale; retry shortly")
        case .rejected(let rejection): .invalidToken(rejection.message)
        case .revoked: .invalidToken("the token has been revoked")
        }
    }
}
