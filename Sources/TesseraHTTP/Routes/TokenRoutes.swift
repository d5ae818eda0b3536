import HTTPTypes
import Hummingbird
import Logging
import TesseraCore
import TesseraStore

/// `POST /token`: the password grant (RFC 6749 §4.3) and the refresh grant (§6) with rotation.
struct TokenRoutes {
    let node: TesseraNode

    func register(on router: Router<TesseraRequestContext>) {
        router.post("/token") { request, context in
            let parameters = try await RequestParameters.read(from: request, context: context)
            let client = ClientInfo(request: request, context: context)
            switch parameters["grant_type"] ?? "password" {
            case "password":
                return try await passwordGrant(parameters, client: client, logger: context.logger).response
            case "refresh_token":
                return try await refreshGrant(parameters, client: client, logger: context.logger).response
            default:
                throw APIError(.badRequest, "unsupported_grant_type", "grant_type must be password or refresh_token")
            }
        }
    }

    /// Where a request came from, for lockout and session listings.
    struct ClientInfo {
        var ip: String
        var userAgent: String

        init(request: Request, context: TesseraRequestContext) {
            ip = context.remoteAddress ?? ""
            userAgent = String((request.headers[.userAgent] ?? "").prefix(256))
        }
    }

    static let badCredentials = APIError.invalidGrant("invalid username or password")

    func passwordGrant(_ parameters: RequestParameters, client: ClientInfo, logger: Logger) async throws -> TokenResponse {
        let username = try parameters.required("username")
        let password = Array(try parameters.required("password").utf8)
        guard (try? AccountRules.validateUsername(username)) != nil else { throw Self.badCredentials }
        guard password.count <= 1024 else { throw APIError.invalidRequest("password must be at most 1024 bytes") }
        let name = username.lowercased()
        let policy = node.configuration.lockout
        let gate = try await node.store.loginGate(username: name, ip: client.ip, now: Timestamp.nowMilliseconds())
        if let lockedUntil = gate.lockedUntil {
            throw APIError.tooManyRequests("too many failed logins; try again later", retryAfter: Self.seconds(until: lockedUntil))
        }
        if policy.ipFailureLimit > 0, gate.ipFailures >= policy.ipFailureLimit {
            throw APIError.tooManyRequests("too many failed logins from this address; try again later", retryAfter: 60)
        }

        let user = try await node.store.user(named: name)
        let matches: Bool
        do {
            if let user {
                matches = try await node.hasher.verify(password, against: user.passwordHash)
            } else {
                // Same hashing work as a wrong password, so timing does not tell who exists.
                try await node.hasher.verifyAgainstDummy(password)
                matches = false
            }
        } catch {
            throw Self.map(error)
        }
        guard let user, matches, !user.isDisabled else {
            let reason = user == nil ? "unknown_user" : (matches ? "disabled" : "bad_password")
            let failure = LoginFailed(userID: user?.id, username: name, ip: client.ip, reason: reason)
            _ = try await node.store.recordFailedLogin(failure, policy: policy)
            logger.info("login failed", metadata: ["tessera.login.reason": "\(reason)"])
            throw Self.badCredentials
        }

        var rehash: PasswordRehashed?
        if PasswordHashing.needsRehash(user.passwordHash) {
            do {
                rehash = PasswordRehashed(userID: user.id, passwordHash: try await node.hasher.hash(password))
            } catch {
                // The login itself succeeded; the upgrade waits for the next one.
                logger.warning("password rehash skipped", metadata: ["tessera.error": "\(error)"])
            }
        }
        let now = Timestamp.nowMilliseconds()
        let sessionID = OpaqueToken.makeID()
        let refreshToken = OpaqueToken.makeRefreshToken()
        let access = node.issueAccessToken(for: user, sessionID: sessionID, requestedScope: parameters["scope"], now: now)
        let login = LoginSucceeded(
            userID: user.id,
            username: name,
            sessionID: sessionID,
            refreshHash: OpaqueToken.sha256Hex(refreshToken),
            tokenID: access.tokenID,
            accessExpiresAt: access.expiresAtMilliseconds,
            expiresAt: now + node.configuration.refreshTokenTTL * 1000,
            ip: client.ip,
            userAgent: client.userAgent
        )
        switch try await node.store.openSession(login, verifiedHash: user.passwordHash, rehash: rehash, now: now) {
        case .appended:
            logger.info("login succeeded", metadata: ["tessera.user.id": "\(user.id)", "tessera.session.id": "\(sessionID)"])
            return TokenResponse(
                accessToken: access.token,
                expiresIn: node.configuration.accessTokenTTL,
                refreshToken: refreshToken,
                scope: access.scope
            )
        case .rejected(let rejection) where rejection.code == "locked":
            throw APIError.tooManyRequests("too many failed logins; try again later", retryAfter: Self.seconds(until: Int64(rejection.detail) ?? now))
        case .rejected:
            throw Self.badCredentials
        }
    }

    /// Longer strings are not refresh tokens (ours are 43 characters): refused without hashing.
    static let maxRefreshTokenBytes = 512

    func refreshGrant(_ parameters: RequestParameters, client: ClientInfo, logger: Logger) async throws -> TokenResponse {
        let presented = try parameters.required("refresh_token")
        guard presented.utf8.count <= Self.maxRefreshTokenBytes else { throw APIError.invalidGrant("invalid refresh token") }
        let now = Timestamp.nowMilliseconds()
        let refreshToken = OpaqueToken.makeRefreshToken()
        let accessExpiresAt = (now / 1000 + node.configuration.accessTokenTTL) * 1000
        let grace = node.configuration.refreshReuseGraceSeconds
        let outcome = try await node.store.rotateRefreshToken(
            presentedHash: OpaqueToken.sha256Hex(presented),
            newHash: OpaqueToken.sha256Hex(refreshToken),
            accessExpiresAt: accessExpiresAt,
            expiresAt: now + node.configuration.refreshTokenTTL * 1000,
            reuseGraceMilliseconds: grace * 1000,
            ip: client.ip,
            userAgent: client.userAgent,
            sealedForGrace: grace > 0 ? RefreshGraceSeal.seal(refreshToken, with: presented) : "",
            now: now
        )
        switch outcome {
        case .appended(let result) where result.values["outcome"] == "grace":
            // The same answer as the rotation it repeats: its refresh token, an access token of the same expiry.
            guard let sealed = result.values["sealed"], let sameRefreshToken = RefreshGraceSeal.open(sealed, with: presented),
                let userID = result.values["user_id"], let sessionID = result.values["sid"],
                let expiresAt = result.values["access_expires_at"].flatMap({ Int64($0) }),
                let user = try await node.store.user(id: userID)
            else {
                throw APIError.invalidGrant("invalid, expired or revoked refresh token")
            }
            let access = node.issueAccessToken(
                for: user,
                sessionID: sessionID,
                requestedScope: parameters["scope"],
                now: now,
                expiresAt: expiresAt / 1000
            )
            return TokenResponse(
                accessToken: access.token,
                expiresIn: max(0, expiresAt / 1000 - now / 1000),
                refreshToken: sameRefreshToken,
                scope: access.scope
            )
        case .rejected:
            throw APIError.invalidGrant("invalid, expired or revoked refresh token")
        case .appended(let result) where result.values["outcome"] == "reused":
            try await node.applyOwn(result.eventIDs)
            logger.warning(
                "refresh token reuse detected; session revoked",
                metadata: ["tessera.session.id": "\(result.values["sid"] ?? "")"]
            )
            throw APIError.invalidGrant("this refresh token was already used; the session is revoked")
        case .appended(let result):
            // The script read the user's name and roles in the same step as the rotation: no second round trip.
            guard let userID = result.values["user_id"], let sessionID = result.values["sid"],
                let username = result.values["username"], !username.isEmpty
            else {
                throw APIError.invalidGrant("invalid, expired or revoked refresh token")
            }
            let access = node.issueAccessToken(
                userID: userID,
                username: username,
                roles: UserRecord.roles(fromJSON: result.values["roles"]),
                sessionID: sessionID,
                requestedScope: parameters["scope"],
                now: now,
                expiresAt: accessExpiresAt / 1000
            )
            return TokenResponse(
                accessToken: access.token,
                expiresIn: node.configuration.accessTokenTTL,
                refreshToken: refreshToken,
                scope: access.scope
            )
        }
    }

    static func seconds(until milliseconds: Int64) -> Int {
        Int(max(1, (milliseconds - Timestamp.nowMilliseconds() + 999) / 1000))
    }

    static func map(_ error: PasswordHasherError) -> APIError {
        error.code == .overloaded
            ? APIError.unavailable("the server is busy; retry shortly", retryAfter: 1)
            : APIError.internalFailure
    }
}
