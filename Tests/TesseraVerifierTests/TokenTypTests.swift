import Crypto
import TesseraCore
import TesseraTestSupport
import TesseraVerifier
import Testing

/// An API node takes only access tokens (`typ: at+jwt`, RFC 9068 §4): a JWT signed with the
/// deployment's secret whose header lacks `typ` or says `JWT` is refused by the verifier as by
/// the Tessera node, even with a real user's unrevoked claims.
@Suite(.redisServer) struct VerifierTokenTypTests {
    static func resigned(_ token: String, header: String) -> String {
        let payload = token.split(separator: ".")[1]
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + payload
        let mac = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: secret))
        return signingInput + "." + Base64URL.encode(Array(mac))
    }

    @Test func aTokenWithoutTheAccessTokenTypIsRefusedByTheVerifier() async throws {
        let redis = try RedisServer.suite
        let prefix = RedisServer.uniquePrefix("typ")
        let tessera = try await TesseraServer.start(on: redis, keyPrefix: prefix)
        let node = try await ExampleNode.start(.redis(url: redis.url, keyPrefix: prefix))
        let kid = try SigningKey.hs256(secret: secret).kid
        let access = try await tessera.signIn("tina")

        #expect(try await node.status("/me", token: access) == 200)
        let accepted = Self.resigned(access, header: #"{"alg":"HS256","kid":"\#(kid)","typ":"AT+JWT"}"#)
        #expect(try await node.status("/me", token: accepted) == 200)
        for header in [#"{"alg":"HS256","kid":"\#(kid)"}"#, #"{"alg":"HS256","kid":"\#(kid)","typ":"JWT"}"#] {
            let token = Self.resigned(access, header: header)
            #expect(try await node.status("/me", token: token) == 401, "\(header)")
            #expect(throws: VerificationFailure.self, "\(header)") { try node.verifier.verifyNow(token) }
        }

        await node.app.stop()
        await tessera.stop()
    }
}
