import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TesseraAuth
import TesseraStore

/// Puts every error in the API's format: `APIError`, `AuthError` and `TokenCheckFailure` as they
/// map themselves, Hummingbird's `HTTPError`s (404, 413, a body that does not decode, ...) mapped
/// to their code, anything else a 500 `server_error` whose details are logged and never returned.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = TesseraRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as AuthError {
            if let underlying = error.underlying {
                context.logger.error("request failed", metadata: ["tessera.error": "\(underlying)", "tessera.error.code": "\(error.code)"])
            }
            throw error.apiError
        } catch let error as TokenCheckFailure {
            throw error.apiError
        } catch let error as HTTPError {
            throw Self.map(error)
        } catch is NIOTooManyBytesError {
            // collectBody(upTo:) past 64 KiB, also for chunked bodies.
            throw APIError.payloadTooLarge
        } catch let error as StoreError {
            context.logger.error("Redis failed during a request", metadata: ["tessera.error": "\(error)"])
            throw APIError.unavailable("the token store is unavailable")
        } catch {
            context.logger.error("request failed", metadata: ["tessera.error": "\(error)"])
            throw APIError.internalFailure
        }
    }

    static func map(_ error: HTTPError) -> APIError {
        switch error.status {
        case .contentTooLarge: .payloadTooLarge
        case .notFound: .notFound("no such resource")
        case .methodNotAllowed: APIError(.methodNotAllowed, "invalid_request", "this method is not allowed here")
        case .badRequest: .invalidRequest(error.body ?? "malformed request")
        // hummingbird-auth's "no identity": the request carried no bearer token.
        case .unauthorized: .missingToken
        default:
            error.status.code >= 500
                ? APIError.internalFailure
                : APIError(error.status, "invalid_request", error.body ?? error.status.reasonPhrase)
        }
    }
}
