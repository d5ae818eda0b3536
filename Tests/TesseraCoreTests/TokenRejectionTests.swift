import Foundation
import TesseraCore
import Testing

@Suite("Rejected tokens")
struct TokenRejectionTests {
    typealias Support = TokenTestSupport

    let hsKey = Support.hs256Key()
    let edKey = Support.ed25519Key()

    var verifier: TokenVerifier { Support.verifier(keys: [hsKey, edKey]) }

    func sign(_ claims: AccessTokenClaims = Support.claims(), with key: SigningKey? = nil) -> String {
        TokenSigner(keys: KeySet([key ?? hsKey])).sign(claims)
    }

    func reason(_ token: String, now: Int64 = Support.now) -> TokenRejection.Reason? {
        Support.rejection(of: token, by: verifier, now: now)
    }

    @Test func algNoneIsRejected() {
        let unsigned =
            Base64URL.encode(Array(#"{"alg":"none","kid":"\#(hsKey.kid)","typ":"at+jwt"}"#.utf8)) + "."
            + Base64URL.encode(Array(Support.payloadJSON().utf8)) + "."
        #expect(reason(unsigned) == .unsupportedAlgorithm)
        let withoutKid = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)) + "." + Base64URL.encode(Array(Support.payloadJSON().utf8)) + "."
        #expect(Support.rejection(of: withoutKid, by: Support.verifier(keys: [hsKey])) == .unsupportedAlgorithm)
    }

    @Test func hs256HeaderNamingAnEdDSAKeyIsRejected() {
        // The classic algorithm-confusion attack: MAC with the public key as the secret.
        let publicKey = Base64URL.decode(edKey.publicJWK!["x"]!)!
        let header = #"{"alg":"HS256","kid":"\#(edKey.kid)","typ":"at+jwt"}"#
        let token = Support.craftHS256(header: header, payload: Support.payloadJSON(), secret: publicKey)
        #expect(reason(token) == .unsupportedAlgorithm)
    }

    @Test func eddsaHeaderNamingAnHS256KeyIsRejected() {
        let header = #"{"alg":"EdDSA","kid":"\#(hsKey.kid)"}"#
        #expect(reason(Support.craftHS256(header: header, payload: Support.payloadJSON())) == .unsupportedAlgorithm)
    }

    @Test func tokenFromAKeyNotInTheSetIsRejected() {
        let stranger = Support.hs256Key(Array("another-secret-another-secret-!!".utf8))
        #expect(reason(sign(with: stranger)) == .unknownKey)
    }

    @Test func missingKidIsRejectedWhenSeveralKeysAreConfigured() {
        let token = Support.craftHS256(header: #"{"alg":"HS256","typ":"at+jwt"}"#, payload: Support.payloadJSON())
        #expect(reason(token) == .unknownKey)
        #expect(Support.rejection(of: token, by: Support.verifier(keys: [hsKey])) == nil)
    }

    @Test func signatureFromAnotherSecretUnderTheSameKidIsRejected() {
        let token = Support.craftHS256(header: Support.hs256Header, payload: Support.payloadJSON(), secret: Array(repeating: 0x41, count: 32))
        #expect(reason(token) == .badSignature)
    }

    @Test(arguments: [false, true])
    func tamperedPayloadIsRejected(eddsa: Bool) {
        let token = sign(with: eddsa ? edKey : hsKey)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        var claims = Support.claims()
        claims.roles = ["admin", "user", "root"]
        let forged = parts[0] + "." + sign(claims).split(separator: ".")[1] + "." + parts[2]
        #expect(reason(String(forged)) == .badSignature)
    }

    @Test func truncatedOrEmptySignatureIsRejected() {
        let token = sign()
        #expect(reason(String(token.dropLast(4))) == .badSignature)
        #expect(reason(String(token[...token.lastIndex(of: ".")!])) == .badSignature)
    }

    @Test func expiredTokenIsRejected() {
        let token = sign(Support.claims(expiresAt: Support.now))
        #expect(reason(token) == .expired)
        #expect(reason(token, now: Support.now - 1) == nil)
    }

    @Test func tokenBeforeItsNotBeforeTimeIsRejected() {
        let token = sign(Support.claims(notBefore: Support.now + 1))
        #expect(reason(token) == .notYetValid)
        #expect(reason(token, now: Support.now + 1) == nil)
    }

    @Test func wrongIssuerIsRejected() {
        var claims = Support.claims()
        claims.issuer = "https://evil.example.test"
        #expect(reason(sign(claims)) == .wrongIssuer)
    }

    @Test func wrongOrMissingAudienceIsRejected() {
        #expect(reason(sign(Support.claims(audience: "other-api"))) == .wrongAudience)
        #expect(reason(sign(Support.claims(audience: nil))) == .wrongAudience)
        let arrayPayload = Support.payloadJSON().replacingOccurrences(of: #""aud":"tessera-api""#, with: #""aud":["a","b"]"#)
        #expect(reason(Support.craftHS256(header: Support.hs256Header, payload: arrayPayload)) == .wrongAudience)
    }

    @Test func nonCanonicalSignatureEncodingIsRejected() throws {
        // 32 MAC bytes → 43 characters: the last one carries 4 bits and 2 unused zero bits.
        let token = sign()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = try #require(alphabet.firstIndex(of: token.last!))
        #expect(last & 0b11 == 0)
        let flipped = String(token.dropLast()) + String(alphabet[last | 0b01])
        #expect(Base64URL.decode(flipped.split(separator: ".")[2]) == nil)
        #expect(reason(flipped) == .malformed)
        #expect(reason(token) == nil)
    }

    @Test func nonCanonicalEdDSASignatureEncodingIsRejected() throws {
        // 64 bytes → 86 characters: the last one carries 2 bits and 4 unused zero bits.
        let token = sign(with: edKey)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = try #require(alphabet.firstIndex(of: token.last!))
        #expect(last & 0b1111 == 0)
        #expect(reason(String(token.dropLast()) + String(alphabet[last | 0b1000])) == .malformed)
    }

    @Test func oversizedTokenIsRejectedBeforeAnyWork() {
        let token = sign()
        let tight = Support.verifier(keys: [hsKey], maxTokenBytes: token.utf8.count - 1)
        #expect(Support.rejection(of: token, by: tight) == .tooLarge)
        #expect(reason(String(repeating: "a", count: 8193)) == .tooLarge)
    }

    @Test(arguments: [2, 4])
    func wrongSegmentCountIsRejected(segments: Int) {
        let parts = sign().split(separator: ".")
        let token = segments == 2 ? parts[0] + "." + parts[1] : parts.joined(separator: ".") + ".AAAA"[...]
        #expect(reason(String(token)) == .malformed)
    }

    @Test func emptyOrGarbageTokensAreMalformed() {
        for token in ["", ".", "..", "a..b", ".a.b", "e30.e30.", "not a token", "ey J.e30.abc"] {
            #expect(reason(token) == .malformed, "\(token)")
        }
    }

    @Test(arguments: [
        #","sub":"user-2""#,
        #","s\u0075b":"user-2""#,
        #","extra":1,"extra":2"#,
    ])
    func duplicateClaimIsRejected(extra: String) {
        let token = Support.craftHS256(header: Support.hs256Header, payload: Support.payloadJSON(extra: extra))
        #expect(reason(token) == .malformed)
    }

    @Test func duplicateHeaderMemberIsRejected() {
        let header = #"{"alg":"HS256","kid":"\#(hsKey.kid)","alg":"HS256"}"#
        #expect(reason(Support.craftHS256(header: header, payload: Support.payloadJSON())) == .malformed)
    }

    @Test(arguments: ["JWT", "jwt", "at+jwt+x", ""])
    func typOtherThanAccessTokenIsRejected(type: String) {
        let header = #"{"alg":"HS256","kid":"\#(hsKey.kid)","typ":"\#(type)"}"#
        #expect(reason(Support.craftHS256(header: header, payload: Support.payloadJSON())) == .wrongType)
    }

    /// RFC 9068 §4: `typ` is required. Without it, any JWT signed with the key (an ID token, a
    /// token of another protocol) would pass for an access token.
    @Test(arguments: [#"{"alg":"HS256","kid":"KID"}"#, #"{"alg":"HS256"}"#, #"{"typ":"JWT","alg":"HS256","kid":"KID"}"#])
    func aHeaderWithoutTheAccessTokenTypIsRejected(header: String) {
        let header = header.replacingOccurrences(of: "KID", with: hsKey.kid)
        let token = Support.craftHS256(header: header, payload: Support.payloadJSON())
        #expect(Support.rejection(of: token, by: Support.verifier(keys: [hsKey])) == .wrongType)
        // The same claims under the same key with `typ: at+jwt` pass: only the header differs.
        let typed = header.replacingOccurrences(of: #""alg":"HS256""#, with: #""alg":"HS256","typ":"at+jwt""#)
            .replacingOccurrences(of: #""typ":"JWT","#, with: "")
        #expect(Support.rejection(of: Support.craftHS256(header: typed, payload: Support.payloadJSON()), by: Support.verifier(keys: [hsKey])) == nil)
    }

    @Test(arguments: ["AT+JWT", "application/at+jwt", "Application/AT+JWT"])
    func accessTokenTypInAnyCaseIsAccepted(type: String) {
        let header = #"{"alg":"HS256","kid":"\#(hsKey.kid)","typ":"\#(type)"}"#
        #expect(reason(Support.craftHS256(header: header, payload: Support.payloadJSON())) == nil)
    }

    @Test func critHeaderIsRejected() {
        let header = #"{"alg":"HS256","kid":"\#(hsKey.kid)","crit":["exp"],"exp":1}"#
        #expect(reason(Support.craftHS256(header: header, payload: Support.payloadJSON())) == .malformed)
    }

    @Test(arguments: ["iss", "sub", "username", "exp", "iat", "jti", "sid", "roles", "scope"])
    func missingRequiredClaimIsRejected(claim: String) throws {
        let payload = Support.payloadJSON().replacingOccurrences(of: #""\#(claim)":"#, with: #""x\#(claim)":"#)
        #expect(reason(Support.craftHS256(header: Support.hs256Header, payload: payload)) == .malformed)
    }

    @Test(arguments: [
        (#""exp":1900001000"#, #""exp":"1900001000""#),
        (#""exp":1900001000"#, #""exp":1900001000.5"#),
        (#""exp":1900001000"#, #""exp":1.9e9"#),
        (#""exp":1900001000"#, #""exp":99999999999999999999"#),
        (#""exp":1900001000"#, #""exp":null"#),
        (#""sub":"user-1""#, #""sub":1"#),
        (#""sub":"user-1""#, #""sub":null"#),
        (#""roles":["admin","user"]"#, #""roles":"admin""#),
        (#""roles":["admin","user"]"#, #""roles":["admin",1]"#),
        (#""aud":"tessera-api""#, #""aud":{"a":"tessera-api"}"#),
        (#""scope":"admin user""#, #""scope":["admin"]"#),
    ])
    func claimOfTheWrongJSONTypeIsRejected(replacing: (String, String)) {
        let payload = Support.payloadJSON().replacingOccurrences(of: replacing.0, with: replacing.1)
        #expect(payload != Support.payloadJSON())
        #expect(reason(Support.craftHS256(header: Support.hs256Header, payload: payload)) == .malformed)
    }

    @Test func rejectionReasonsAreSnakeCaseLabelsAndMessagesAreGeneric() {
        #expect(TokenRejection.Reason.badSignature.description == "bad_signature")
        #expect(TokenRejection.Reason.notYetValid.description == "not_yet_valid")
        do {
            _ = try verifier.verify(sign(Support.claims(expiresAt: 0)), now: Support.now)
            Issue.record("expected a rejection")
        } catch {
            #expect(error.reason == .expired)
            #expect(error.message == "token expired")
        }
    }
}
