import Foundation
import TesseraCore
import Testing

@Suite("Signing and verifying tokens")
struct TokenRoundTripTests {
    @Test(arguments: [TokenTestSupport.hs256Key(), TokenTestSupport.ed25519Key()])
    func signedTokenVerifiesToTheSameClaims(key: SigningKey) throws {
        let claims = TokenTestSupport.claims(notBefore: TokenTestSupport.now - 5)
        let token = TokenSigner(keys: KeySet([key])).sign(claims)
        let verified = try TokenTestSupport.verifier(keys: [key]).verify(token, now: TokenTestSupport.now)
        #expect(verified == claims)
    }

    @Test func headerNamesAlgorithmKidAndAccessTokenType() throws {
        for key in [TokenTestSupport.hs256Key(), TokenTestSupport.ed25519Key()] {
            let token = TokenSigner(keys: KeySet([key])).sign(TokenTestSupport.claims())
            let header = try #require(Base64URL.decode(token.split(separator: ".")[0]))
            #expect(String(decoding: header, as: UTF8.self) == #"{"alg":"\#(key.algorithm.rawValue)","kid":"\#(key.kid)","typ":"at+jwt"}"#)
        }
    }

    @Test func payloadHasClaimsInAFixedOrderAndOmitsUnsetOptionalOnes() throws {
        let token = TokenSigner(keys: KeySet([TokenTestSupport.hs256Key()])).sign(TokenTestSupport.claims(audience: nil))
        let payload = try #require(Base64URL.decode(token.split(separator: ".")[1]))
        let expected =
            #"{"iss":"https://auth.example.test","sub":"user-1","username":"alice","exp":1900001000,"iat":1900000100,"#
            + #""jti":"jti-1","sid":"sid-1","roles":["admin","user"],"scope":"admin user"}"#
        #expect(String(decoding: payload, as: UTF8.self) == expected)
    }

    @Test func stringsNeedingEscapesRoundTrip() throws {
        var claims = TokenTestSupport.claims()
        claims.username = "quote\" back\\slash \n\t\u{01}\u{1F} zoë 🔑 \u{7F}"
        claims.roles = ["", "a\"b", "ünïcödé"]
        claims.scope = "\u{0}"
        let key = TokenTestSupport.hs256Key()
        let token = TokenSigner(keys: KeySet([key])).sign(claims)
        let payload = try #require(Base64URL.decode(token.split(separator: ".")[1]))
        #expect(String(decoding: payload, as: UTF8.self).contains(#""quote\" back\\slash \u000a\u0009\u0001\u001f zoë 🔑 "#))
        #expect(try TokenTestSupport.verifier(keys: [key]).verify(token, now: TokenTestSupport.now) == claims)
    }

    @Test func hs256SigningIsDeterministic() {
        let signer = TokenSigner(keys: KeySet([TokenTestSupport.hs256Key()]))
        #expect(signer.sign(TokenTestSupport.claims()) == signer.sign(TokenTestSupport.claims()))
    }

    @Test func tokenSignedByTheOldSecondKeyStillVerifiesAfterRotation() throws {
        let old = TokenTestSupport.hs256Key()
        let new = TokenTestSupport.ed25519Key()
        let oldToken = TokenSigner(keys: KeySet([old])).sign(TokenTestSupport.claims())
        let rotated = KeySet([new, old])
        let newToken = TokenSigner(keys: rotated).sign(TokenTestSupport.claims())
        let verifier = TokenVerifier(keys: rotated, issuer: TokenTestSupport.issuer, audience: TokenTestSupport.audience)
        #expect(try verifier.verify(oldToken, now: TokenTestSupport.now) == TokenTestSupport.claims())
        #expect(try verifier.verify(newToken, now: TokenTestSupport.now) == TokenTestSupport.claims())
        #expect(TokenSigner(keys: rotated).kid == new.kid)
    }

    @Test func verifiesASubstringToken() throws {
        let key = TokenTestSupport.hs256Key()
        let header = "Bearer " + TokenSigner(keys: KeySet([key])).sign(TokenTestSupport.claims())
        let token = header.dropFirst("Bearer ".count)
        #expect(try TokenTestSupport.verifier(keys: [key]).verify(token, now: TokenTestSupport.now) == TokenTestSupport.claims())
    }

    @Test func audienceIsNotCheckedWhenNoneIsConfigured() throws {
        let key = TokenTestSupport.hs256Key()
        let token = TokenSigner(keys: KeySet([key])).sign(TokenTestSupport.claims(audience: "someone-else"))
        #expect(try TokenTestSupport.verifier(keys: [key], audience: nil).verify(token, now: TokenTestSupport.now).audience == "someone-else")
    }

    @Test func audienceArrayContainingTheConfiguredAudienceIsAccepted() throws {
        let payload = TokenTestSupport.payloadJSON().replacingOccurrences(of: #""aud":"tessera-api""#, with: #""aud":["x","tessera-api"]"#)
        let token = TokenTestSupport.craftHS256(header: TokenTestSupport.hs256Header, payload: payload)
        let claims = try TokenTestSupport.verifier(keys: [TokenTestSupport.hs256Key()]).verify(token, now: TokenTestSupport.now)
        #expect(claims.audience == "tessera-api")
    }

    @Test func leewayToleratesSkewOnExpiryAndNotBefore() throws {
        let key = TokenTestSupport.hs256Key()
        let now = TokenTestSupport.now
        let token = TokenSigner(keys: KeySet([key])).sign(TokenTestSupport.claims(expiresAt: now, notBefore: now + 10))
        #expect(TokenTestSupport.rejection(of: token, by: TokenTestSupport.verifier(keys: [key], leeway: 10)) == nil)
        #expect(TokenTestSupport.rejection(of: token, by: TokenTestSupport.verifier(keys: [key], leeway: 9)) == .notYetValid)
    }
}
