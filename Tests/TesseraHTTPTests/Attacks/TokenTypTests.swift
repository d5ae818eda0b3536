import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TesseraAuth
import TesseraCore
import TesseraHTTP
import TesseraStore
import TesseraTestSupport
import Testing

/// RFC 9068 §4: an access token's header says `typ: at+jwt`. A JWT signed with the node's key
/// whose header lacks `typ` or says `JWT` (an ID token, a token some other service of the
/// deployment signs with a shared secret) is not an access token, whatever its claims.
@Suite(.redisServer) struct TokenTypTests {
    /// `token` with its header replaced by `header` and signed again with the node's secret: the
    /// claims are a real login's, so only the header can make the node refuse it.
    static func resigned(_ token: String, header: String, secret: [UInt8] = TestNode.secret) -> String {
        let payload = token.split(separator: ".")[1]
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + payload
        let mac = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: secret))
        return signingInput + "." + Base64URL.encode(Array(mac))
    }

    @Test func aCorrectlySignedTokenWithoutTheAccessTokenTypIsRejectedEverywhere() async throws {
        let test = try await TestNode.make()
        let kid = try SigningKey.hs256(secret: TestNode.secret).kid
        try await test.app.test(.live) { client in
            let introspector = try await test.adminToken(client: client)
            try await client.registerUser("typed")
            let access = try #require(try await client.login("typed").string("access_token"))

            // The controls: the token as issued, and the same claims re-signed under an
            // accepted `typ` in another spelling, pass every check.
            for accepted in [
                access, Self.resigned(access, header: #"{"alg":"HS256","kid":"\#(kid)","typ":"application/AT+JWT"}"#),
            ] {
                #expect(try await client.send(.get, "/users/me", headers: bearer(accepted)).status == .ok)
                #expect(try await client.send(.get, "/auth/verify", headers: bearer(accepted)).status == .ok)
                let introspected = try await client.postForm("/introspect", [("token", accepted)], headers: bearer(introspector))
                #expect(introspected.json["active"] as? Bool == true)
            }

            for header in [
                #"{"alg":"HS256","kid":"\#(kid)"}"#,
                #"{"alg":"HS256","kid":"\#(kid)","typ":"JWT"}"#,
                #"{"alg":"HS256","typ":"jwt"}"#,
            ] {
                let token = Self.resigned(access, header: header)
                let me = try await client.send(.get, "/users/me", headers: bearer(token))
                me.expectError("invalid_token", .unauthorized)
                #expect(me.string("error_description") == "token is not an access token", "\(header)")
                let verify = try await client.send(.get, "/auth/verify", headers: bearer(token))
                #expect(verify.status == .unauthorized, "\(header)")
                let introspected = try await client.postForm("/introspect", [("token", token)], headers: bearer(introspector))
                #expect(introspected.status == .ok)
                #expect(introspected.json["active"] as? Bool == false, "\(header): \(introspected.body)")
                // Nor may it stand in as the caller's own credentials on /introspect.
                let asCaller = try await client.postForm(
                    "/introspect",
                    [("token", access)],
                    headers: bearer(Self.resigned(introspector, header: header))
                )
                #expect(asCaller.status == .unauthorized, "\(header)")
            }
        }
        await test.shutdown()
    }
}
