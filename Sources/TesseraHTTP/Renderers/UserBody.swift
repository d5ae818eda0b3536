import HTTPTypes
import Hummingbird
import NIOCore
import TesseraCore
import TesseraStore

/// The user object: `{"id","username","email","roles","disabled"[,"created_at"]}`.
///
/// Written by hand: `GET /users/me` is a token check plus this body, and Foundation's encoder
/// took a tenth of the node's CPU time of that route (profiled under `make bench`).
struct UserBody: ResponseGenerator {
    var id: String
    var username: String
    var email: String?
    var roles: [String]
    var disabled: Bool
    /// RFC 3339; absent from `GET /users/me`.
    var createdAt: String?

    init(_ user: UserProfile, includeCreatedAt: Bool) {
        id = user.id
        username = user.username
        email = user.email
        roles = user.roles
        disabled = user.isDisabled
        createdAt = includeCreatedAt ? Timestamp.rfc3339(milliseconds: user.createdAt) : nil
    }

    init(_ user: UserRecord, includeCreatedAt: Bool = true) {
        self.init(user.profile, includeCreatedAt: includeCreatedAt)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = JSONObjectWriter(capacity: 128 + username.utf8.count + (email?.utf8.count ?? 0))
        body.add("id", id)
        body.add("username", username)
        body.add("email", email)  // null when absent
        body.add("roles", roles)
        body.add("disabled", disabled)
        if let createdAt { body.add("created_at", createdAt) }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body.finish()))
        )
    }
}
