import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TesseraCore
import TesseraStore

/// `POST /users` (registration), `GET /users/me`, `POST /users/me/password`.
struct UserRoutes {
    let node: TesseraNode
    let authenticator: Authenticator

    private struct Registration: Decodable {
        var username: String
        var password: String
        var email: String?
    }

    private struct PasswordChange: Decodable {
        var currentPassword: String
        var newPassword: String

        enum CodingKeys: String, CodingKey {
            case currentPassword = "current_password"
            case newPassword = "new_password"
        }
    }

    func register(on router: Router<TesseraRequestContext>) {
        router.post("/users") { request, context in
            guard node.configuration.isRegistrationOpen else { throw APIError.forbidden("registration is closed") }
            let registration = try await Self.decode(Registration.self, from: request, context: context)
            let user = try await Self.mapAccountErrors { () async throws(AccountError) in
                try await node.accounts.register(
                    username: registration.username,
                    password: Array(registration.password.utf8),
                    email: registration.email,
                    roles: []
                )
            }
            return Response.json(UserJSON.render(user, includeCreatedAt: true), status: .created)
        }

        router.get("/users/me") { request, _ in
            let claims = try authenticator.authenticate(request)
            let userID = claims.subject
            if let body = node.userProfiles.body(forUser: userID) {
                return Response.json(body)
            }
            let generation = node.userProfiles.generation
            guard let user = try await node.store.user(id: userID) else {
                throw APIError.invalidToken("the user no longer exists")
            }
            let body = ByteBuffer(string: UserJSON.render(user, includeCreatedAt: false))
            node.userProfiles.store(body, forUser: userID, ifUnchangedSince: generation)
            return Response.json(body)
        }

        router.post("/users/me/password") { request, context in
            let claims = try authenticator.authenticate(request)
            let change = try await Self.decode(PasswordChange.self, from: request, context: context)
            let newPassword = Array(change.newPassword.utf8)
            try await Self.mapAccountErrors { () throws(AccountError) in
                try AccountRules.validatePassword(newPassword, field: "new_password")
            }
            guard let user = try await node.store.user(id: claims.subject) else {
                throw APIError.invalidToken("the user no longer exists")
            }
            let newHash: String
            do {
                guard try await node.hasher.verify(Array(change.currentPassword.utf8), against: user.passwordHash) else {
                    throw APIError.invalidGrant("the current password is wrong")
                }
                newHash = try await node.hasher.hash(newPassword)
            } catch let error as PasswordHasherError {
                throw TokenRoutes.map(error)
            }
            let event = PasswordChanged(userID: user.id, passwordHash: newHash, sessionID: claims.sessionID)
            return try await node.answerRevocation(
                node.store.changePassword(event, verifiedHash: user.passwordHash),
                ifRejected: .conflict("the password was changed meanwhile; try again")
            )
        }
    }

    /// Decodes a JSON body (at most 64 KiB), mapping any failure to 400 `invalid_request`.
    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request, context: TesseraRequestContext) async throws -> Body {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        do {
            return try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError.invalidRequest("the body must be a JSON object with the documented fields")
        }
    }

    /// Runs `body`, turning `AccountError` into the API's errors.
    static func mapAccountErrors<Result>(_ body: () async throws(AccountError) -> Result) async throws(APIError) -> Result {
        do {
            return try await body()
        } catch {
            switch error.code {
            case .usernameTaken: throw APIError.conflict(error.message)
            case .overloaded: throw APIError.unavailable(error.message)
            case .storeFailure: throw APIError.unavailable("the user store is unavailable")
            default: throw APIError.invalidRequest(error.message)
            }
        }
    }
}
