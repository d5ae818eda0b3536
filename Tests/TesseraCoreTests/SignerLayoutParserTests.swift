import Foundation
import Testing

@testable import TesseraCore

/// The fast path must agree with the general parser on every claim set it accepts, and must
/// accept what Tessera's own signer writes (or it is not a fast path).
@Suite struct SignerLayoutParserTests {
    static let expected = ClaimsParser.Expectation(issuer: TokenTestSupport.issuer, audience: TokenTestSupport.audience)

    /// Both parsers' results for one payload; the general one's error, if it throws.
    static func parseBoth(
        _ payload: [UInt8],
        expected: ClaimsParser.Expectation = expected
    ) -> (fast: ClaimsParser.Result?, general: Result<ClaimsParser.Result, TokenRejection>) {
        var bytes = payload
        let fast = bytes.withUnsafeBufferPointer { SignerLayoutParser.parse($0, expecting: expected) }
        let general = bytes.withUnsafeMutableBufferPointer { buffer -> Result<ClaimsParser.Result, TokenRejection> in
            var reader = JSONReader(buffer, failure: .malformedClaims)
            do throws(TokenRejection) {
                return .success(try ClaimsParser.parse(&reader, expecting: expected))
            } catch {
                return .failure(error)
            }
        }
        return (fast, general)
    }

    static func signerPayloads() -> [(String, AccessTokenClaims)] {
        var variants: [(String, AccessTokenClaims)] = []
        var claims = TokenTestSupport.claims()
        claims.subject = OpaqueToken.makeID()
        claims.tokenID = OpaqueToken.makeID()
        claims.sessionID = OpaqueToken.makeID()
        variants.append(("compact ids, audience", claims))
        var other = claims
        other.audience = nil
        variants.append(("no audience", other))
        other = claims
        other.audience = "someone-else"
        variants.append(("another audience", other))
        other = claims
        other.notBefore = TokenTestSupport.now - 5
        variants.append(("nbf", other))
        other = claims
        other.roles = []
        variants.append(("no roles", other))
        other = claims
        other.roles = ["a,b", "c"]
        variants.append(("a role with a comma", other))
        other = claims
        other.roles = ["x", ""]
        variants.append(("an empty role", other))
        other = claims
        other.username = "j\u{F6}rg \u{1F600}"
        variants.append(("non-ASCII username", other))
        other = claims
        other.subject = "user-1"
        other.sessionID = "AAAAAAAAAAAAAAAAAAAAAB"
        variants.append(("text ids", other))
        other = claims
        other.expiresAt = -1
        other.issuedAt = 0
        variants.append(("negative and zero times", other))
        return variants
    }

    @Test func everySignerPayloadTakesTheFastPathWithTheGeneralParsersResult() throws {
        for (name, claims) in Self.signerPayloads() {
            let (fast, general) = Self.parseBoth(TokenSigner.payload(of: claims))
            let generalResult = try general.get()
            #expect(fast != nil, "\(name): the fast path refused the signer's own layout")
            #expect(fast?.claims == generalResult.claims, "\(name)")
            #expect(fast?.hasAudience == generalResult.hasAudience, "\(name)")
            #expect(fast?.hasIssuer == true && generalResult.hasIssuer, "\(name)")
            #expect(generalResult.claims == claims, "\(name)")
        }
    }

    @Test(arguments: [
        // An escape, whitespace, another order, an unknown or duplicate member, a wrong issuer,
        // a leading zero, a fraction, trailing bytes: the fast path steps aside every time.
        #"{"iss":"https:\/\/auth.example.test","sub":"u","username":"a","exp":1,"iat":1,"jti":"j","sid":"s","roles":[],"scope":""}"#,
        #"{"iss":"https://auth.example.test", "sub":"u","username":"a","exp":1,"iat":1,"jti":"j","sid":"s","roles":[],"scope":""}"#,
        #"{"sub":"u","iss":"https://auth.example.test","username":"a","exp":1,"iat":1,"jti":"j","sid":"s","roles":[],"scope":""}"#,
        #"{"iss":"https://auth.example.test","sub":"u","username":"a","exp":1,"iat":1,"jti":"j","sid":"s","roles":[],"scope":"","x":1}"#,
        #"{"iss":"https://auth.example.test","sub":"u","username":"a","exp":1,"exp":1,"iat":1,"jti":"j","sid":"s","roles":[],"scope":""}"#,
        #"{"iss":"https://other.example.test","sub":"u","username":"a","exp":1,"iat":1,"jti":"j","sid":"s","roles":[],"scope":""}"#,
        #"{"iss":"https://auth.example.test","sub":"u","username":"a","exp":01,"iat":1,"jti":"j","sid":"s","roles":[],"scope":""}"#,
        #"{"iss":"https://auth.example.test","sub":"u","username":"a","exp":1.5,"iat":1,"jti":"j","sid":"s","roles":[],"scope":""}"#,
        #"{"iss":"https://auth.example.test","sub":"u","username":"a","exp":1,"iat":1,"jti":"j","sid":"s","roles":[],"scope":""} "#,
        #"{"iss":"https://auth.example.test","sub":"u","username":"a","exp":99999999999999999999,"iat":1,"jti":"j","sid":"s","roles":[],"scope":""}"#,
        #"{"iss":"https://auth.example.test","sub":"u","username":"a\u0041","exp":1,"iat":1,"jti":"j","sid":"s","roles":[],"scope":""}"#,
        #"{"iss":"https://auth.example.test","sub":"u","username":"a","exp":1,"iat":1,"jti":"j","sid":"s","roles":["a",],"scope":""}"#,
        #"{"iss":"https://auth.example.test","sub":"u","username":"a","exp":1,"iat":1,"jti":"j","sid":"s","roles":"a","scope":""}"#,
    ])
    func anythingElseFallsBackToTheGeneralParser(payload: String) {
        let (fast, _) = Self.parseBoth(Array(payload.utf8))
        #expect(fast == nil)
    }

    @Test func invalidUTF8IsLeftToTheGeneralParserToReject() {
        var payload = Array(#"{"iss":"https://auth.example.test","sub":"u","username":"#.utf8)
        payload += [UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\"")]
        payload += Array(#","exp":1,"iat":1,"jti":"j","sid":"s","roles":[],"scope":""}"#.utf8)
        let (fast, general) = Self.parseBoth(payload)
        #expect(fast == nil)
        #expect(throws: TokenRejection.self) { try general.get() }
    }
}
