import HTTPTypes
import Hummingbird
import NIOCore
import TesseraAuth
import TesseraCore

/// The RFC 6749 §5.1 token answer, with `Cache-Control: no-store` and `Pragma: no-cache`.
///
/// Written by hand: it is on the refresh grant's path, where a benchmark showed Foundation's
/// encoder cost more than signing the access token.
struct TokenResponse: ResponseGenerator {
    var tokens: IssuedTokens

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = JSONObjectWriter(capacity: 160 + tokens.accessToken.utf8.count)
        body.add("access_token", tokens.accessToken)
        body.add("token_type", "bearer")
        body.add("expires_in", tokens.expiresIn)
        body.add("refresh_token", tokens.refreshToken)
        body.add("scope", tokens.scope)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store", .pragma: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: body.finish()))
        )
    }
}

extension HTTPField.Name {
    /// `Pragma` (RFC 9111 §5.4), which RFC 6749 §5.1 asks token answers to set to `no-cache`.
    static let pragma = HTTPField.Name("Pragma")!
    /// `Tessera-Revocation-Id`: the last event a revoking call appended.
    static let revocationID = HTTPField.Name("Tessera-Revocation-Id")!
}
