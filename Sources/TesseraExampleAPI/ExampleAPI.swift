import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import NIOHTTP1
import TesseraVerifier
import TesseraVerifierHummingbird

/// The example API node's request context: hummingbird-auth's, with Tessera's claims as identity.
typealias ExampleRequestContext = BasicAuthRequestContext<AccessTokenClaims>

/// The routes of the example API node: what a small service behind Tessera looks like.
///
/// - `GET /public`: anyone.
/// - `GET /me`: any signed-in user; answers the verified claims.
/// - `GET /admin`: users with the role `admin` (else 403 `insufficient_scope`).
/// - `GET /gateway/me`: the identity a gateway in front (nginx `auth_request`) forwarded as
///   `X-Auth-*` headers.
/// - `GET /remote/me`: `/me` authorised by calling a Tessera node's `/auth/verify` over HTTP
///   instead, when `remoteVerifyURL` is set: the comparison the benchmarks make.
/// - `GET /healthz`, `GET /readyz` (503 while the revocation view is stale).
enum ExampleAPI {
    static func makeRouter(verifier: TesseraVerifier, remoteVerifyURL: String? = nil, http: HTTPClient? = nil) -> Router<ExampleRequestContext> {
        let router = Router(context: ExampleRequestContext.self)
        router.get("/healthz") { _, _ in json(#"{"status":"ok"}"#) }
        router.get("/readyz") { _, _ in
            verifier.isFresh ? json(#"{"status":"ok"}"#) : json(#"{"status":"unavailable"}"#, status: .serviceUnavailable)
        }
        router.get("/public") { _, _ in
            json(#"{"message":"hello, whoever you are"}"#)
        }

        let signedIn = router.group()
            .add(middleware: TesseraAuthenticator(verifier: verifier))
            .add(middleware: RequireToken())
        signedIn.get("/me") { _, context in
            let claims = try context.requireIdentity()
            return me(userID: claims.subject, username: claims.username, roles: claims.commaSeparatedRoles, sessionID: claims.sessionID)
        }
        router.group("admin")
            .add(middleware: TesseraAuthenticator(verifier: verifier))
            .add(middleware: RequireToken(role: "admin"))
            .get { _, context in
                let claims = try context.requireIdentity()
                return json(#"{"message":"hello, admin","user_id":"\#(claims.subject)"}"#)
            }

        // Behind a gateway that authorised the request (nginx auth_request): what it forwarded.
        // Only for a node that nothing but the gateway can reach.
        router.get("/gateway/me") { request, _ in
            let headers = request.headers
            return me(
                userID: headers[.authSubject] ?? "",
                username: headers[.authUsername] ?? "",
                roles: headers[.authRoles] ?? "",
                sessionID: ""
            )
        }

        if let remoteVerifyURL, let http {
            router.get("/remote/me") { request, _ in
                var verify = HTTPClientRequest(url: remoteVerifyURL)
                if let authorization = request.headers[.authorization] { verify.headers.add(name: "Authorization", value: authorization) }
                let answer = try await http.execute(verify, timeout: .seconds(5))
                _ = try await answer.body.collect(upTo: 1 << 16)
                guard answer.status == .ok else {
                    throw HTTPError(answer.status == .unauthorized ? .unauthorized : .serviceUnavailable)
                }
                let headers = answer.headers
                return me(
                    userID: headers.first(name: "X-Auth-Subject") ?? "",
                    username: headers.first(name: "X-Auth-Username") ?? "",
                    roles: headers.first(name: "X-Auth-Roles") ?? "",
                    sessionID: headers.first(name: "X-Auth-Session") ?? ""
                )
            }
        }
        return router
    }

    private static func me(userID: String, username: String, roles: String, sessionID: String) -> Response {
        let roleList = roles.split(separator: ",").map { #""\#($0)""# }.joined(separator: ",")
        return json(#"{"user_id":"\#(userID)","username":"\#(username)","roles":[\#(roleList)],"session_id":"\#(sessionID)"}"#)
    }

    private static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension HTTPField.Name {
    static let authSubject = HTTPField.Name("X-Auth-Subject")!
    static let authUsername = HTTPField.Name("X-Auth-Username")!
    static let authRoles = HTTPField.Name("X-Auth-Roles")!
}
