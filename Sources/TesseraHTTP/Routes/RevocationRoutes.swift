import HTTPTypes
import Hummingbird
import TesseraCore
import TesseraStore

/// `POST /revoke` (RFC 7009) and `POST /introspect` (RFC 7662).
struct RevocationRoutes {
    let node: TesseraNode
    let authenticator: Authenticator

    func register(on router: Router<TesseraRequestContext>) {
        // Holding the token is the authority, as with logout: no client authentication.
        router.post("/revoke") { request, context in
            let parameters = try await RequestParameters.read(from: request, context: context)
            let token = try parameters.required("token")
            var appended: [EventID] = []
            if parameters["token_type_hint"] != "refresh_token", let claims = verifiedIgnoringRevocation(token) {
                let revoked = AccessTokenRevoked(
                    userID: claims.subject,
                    tokenID: claims.tokenID,
                    sessionID: claims.sessionID,
                    expiresAt: claims.expiresAt * 1000
                )
                appended = try await Self.ids(of: node.store.revokeAccessToken(revoked))
            } else if token.utf8.count <= TokenRoutes.maxRefreshTokenBytes {
                appended = try await Self.ids(of: node.store.revokeRefreshToken(hash: OpaqueToken.sha256Hex(token)))
            }
            var headers = try await node.receipt(for: appended)
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers)
        }

        router.post("/introspect") { request, context in
            let caller = try authenticator.authenticate(request)
            guard caller.hasRole("admin") || caller.hasRole("introspect") else {
                throw APIError.insufficientScope("introspect")
            }
            let parameters = try await RequestParameters.read(from: request, context: context)
            let token = try parameters.required("token")
            let answer = try await introspect(token, hint: parameters["token_type_hint"])
            return Response.json(answer, headers: [.cacheControl: "no-store"])
        }
    }

    /// Signature and claims only: a token already revoked can still be named for revocation.
    private func verifiedIgnoringRevocation(_ token: String) -> AccessTokenClaims? {
        try? node.verifier.verify(token, now: Timestamp.nowSeconds())
    }

    private func introspect(_ token: String, hint: String?) async throws -> String {
        let inactive = #"{"active":false}"#
        let now = Timestamp.nowMilliseconds()
        if hint != "refresh_token", let claims = verifiedIgnoringRevocation(token) {
            guard node.revocations.verdict(for: claims) == nil else { return inactive }
            var members: [(String, JSONText.Value)] = [
                ("active", .bool(true)),
                ("token_type", .string("access_token")),
                ("sub", .string(claims.subject)),
                ("username", .string(claims.username)),
                ("scope", .string(claims.scope)),
                ("roles", .array(claims.roles.map(JSONText.Value.string))),
                ("sid", .string(claims.sessionID)),
                ("jti", .string(claims.tokenID)),
                ("exp", .int(claims.expiresAt)),
                ("iat", .int(claims.issuedAt)),
                ("iss", .string(claims.issuer)),
            ]
            if let audience = claims.audience { members.append(("aud", .string(audience))) }
            return JSONText.object(members)
        }
        guard token.utf8.count <= TokenRoutes.maxRefreshTokenBytes else { return inactive }
        let hash = OpaqueToken.sha256Hex(token)
        guard let session = try await node.store.session(refreshHash: hash),
            session.isLive(now: now), session.refreshHash == hash,
            let user = try await node.store.user(id: session.userID), !user.isDisabled
        else {
            return inactive
        }
        return JSONText.object([
            ("active", .bool(true)),
            ("token_type", .string("refresh_token")),
            ("sub", .string(user.id)),
            ("username", .string(user.username)),
            ("scope", .string(user.roles.joined(separator: " "))),
            ("roles", .array(user.roles.map(JSONText.Value.string))),
            ("sid", .string(session.sessionID)),
            ("exp", .int(session.expiresAt / 1000)),
            ("iat", .int(session.lastUsedAt / 1000)),
            ("iss", .string(node.configuration.issuer)),
        ])
    }

    static func ids(of outcome: ScriptOutcome) -> [EventID] {
        if case .appended(let result) = outcome { return result.eventIDs }
        return []
    }
}
