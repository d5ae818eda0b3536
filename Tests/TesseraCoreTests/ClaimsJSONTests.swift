import Foundation
import TesseraCore
import Testing

/// The hand-written JSON reader, exercised through validly signed tokens.
@Suite("Claims JSON reading")
struct ClaimsJSONTests {
    typealias Support = TokenTestSupport

    func verify(payload: String, header: String = Support.hs256Header) throws(TokenRejection) -> AccessTokenClaims {
        let token = Support.craftHS256(header: header, payload: payload)
        return try Support.verifier(keys: [Support.hs256Key()]).verify(token, now: Support.now)
    }

    @Test func whitespaceBetweenTokensIsAllowed() throws {
        let payload = Support.payloadJSON()
            .replacingOccurrences(of: ",\"", with: " ,\n\t\"")
            .replacingOccurrences(of: "\":", with: "\"\r\n: ")
            .replacingOccurrences(of: "[", with: "[ ")
        #expect(try verify(payload: " \n" + payload + " \n") == Support.claims())
    }

    @Test func escapedStringsAndKeysDecode() throws {
        let payload = Support.payloadJSON()
            .replacingOccurrences(of: #""username":"alice""#, with: #""us\u0065rname":"\"al\\ice\/\b\f\n\r\t\u00e9\ud83d\udd11""#)
        #expect(try verify(payload: payload).username == "\"al\\ice/\u{8}\u{C}\n\r\té🔑")
    }

    @Test func unknownClaimsOfEveryTypeAreSkipped() throws {
        let extra = #","a":null,"b":true,"c":false,"d":-0.5e-7,"e":[],"f":{},"g":[1,[2,{"h":"i"}]],"j":"k""#
        #expect(try verify(payload: Support.payloadJSON(extra: extra)) == Support.claims())
    }

    @Test func unknownHeaderMembersAreIgnored() throws {
        let header = #"{"typ":"at+jwt","jku":"https://evil.example","x":{"y":[1]},"kid":"\#(Support.hs256Key().kid)","alg":"HS256"}"#
        #expect(try verify(payload: Support.payloadJSON(), header: header) == Support.claims())
    }

    @Test(arguments: [
        #","x":"\ud83d""#,  // lone high surrogate
        #","x":"\udd11""#,  // lone low surrogate
        #","x":"\ud83d\u0041""#,  // high surrogate without its low half
        #","x":"\u00g1""#,  // bad hex digit
        #","x":"\q""#,  // unknown escape
        ",\"x\":\"a\u{1}b\"",  // raw control character
        #","x":01"#,  // leading zero
        #","x":1."#,  // fraction without digits
        #","x":-"#,  // sign without digits
        #","x":tru"#,  // truncated literal
        #","x":[1,]"#,  // trailing comma in array
        #","x":{"a":1,}"#,  // trailing comma in object
        #","x":{"a"}"#,  // member without value
        #","x":{1:2}"#,  // non-string key
        #","#,  // trailing comma in the claim set
    ])
    func invalidJSONIsMalformed(extra: String) {
        #expect(throws: TokenRejection.self) { try verify(payload: Support.payloadJSON(extra: extra)) }
        do {
            _ = try verify(payload: Support.payloadJSON(extra: extra))
        } catch {
            #expect(error.reason == .malformed)
        }
    }

    @Test(arguments: ["x", "{}", "[]", "\"s\"", "1", "null", ""])
    func somethingAfterTheClaimSetOrANonObjectIsMalformed(suffix: String) {
        #expect(throws: TokenRejection.self) { try verify(payload: Support.payloadJSON() + suffix + (suffix.isEmpty ? "}" : "")) }
        #expect(throws: TokenRejection.self) { try verify(payload: suffix) }
    }

    @Test func invalidUTF8InAClaimIsMalformed() {
        var payload = Array(Support.payloadJSON().utf8)
        let username = Array(#""alice""#.utf8)
        let index = try! #require(payload.firstRange(of: username)).lowerBound
        payload.replaceSubrange((index + 1)..<(index + 6), with: [0x61, 0xC3, 0x28, 0x62, 0x63])
        let token = Support.craftHS256(header: Array(Support.hs256Header.utf8), payload: payload)
        #expect(Support.rejection(of: token, by: Support.verifier(keys: [Support.hs256Key()])) == .malformed)
    }

    /// Found by fuzzing (fuzz/corpus/FuzzJSONReader/finding-*): the strings the reader skips
    /// (unknown members' names and values, at any depth) were never checked for UTF-8, so a
    /// correctly signed token whose JSON is not UTF-8 (RFC 8259 §8.1, RFC 7519 §7.2) was accepted.
    @Test(
        arguments: [
            [0xFF],  // not a UTF-8 byte at all
            [0x61, 0xC3, 0x28],  // a lead byte without its continuation
            [0xED, 0xA0, 0x80],  // an encoded surrogate (U+D800)
            [0xC0, 0xAF],  // an overlong encoding of "/"
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        ] as [[UInt8]]
    )
    func invalidUTF8AnywhereInTheClaimSetIsMalformed(bytes: [UInt8]) {
        let verifier = Support.verifier(keys: [Support.hs256Key()])
        let placements: [(prefix: String, suffix: String)] = [
            (#","x":""#, #"""#),  // an unknown claim's value
            (#",""#, #"":1"#),  // an unknown claim's name
            (#","x":[{"y":[""#, #""]}]"#),  // a string deep inside an unknown claim
            (#","x":{""#, #"":null}"#),  // a member name inside an unknown claim
        ]
        for placement in placements {
            let payload =
                Array(Support.payloadJSON().utf8.dropLast()) + Array(placement.prefix.utf8) + bytes
                + Array(placement.suffix.utf8) + [UInt8(ascii: "}")]
            let token = Support.craftHS256(header: Array(Support.hs256Header.utf8), payload: payload)
            #expect(Support.rejection(of: token, by: verifier) == .malformed, "\(placement.prefix)…\(placement.suffix)")
        }
        let header = Array(Support.hs256Header.utf8.dropLast()) + Array(#","x":""#.utf8) + bytes + Array(#""}"#.utf8)
        let token = Support.craftHS256(header: header, payload: Array(Support.payloadJSON().utf8))
        #expect(Support.rejection(of: token, by: verifier) == .malformed, "an unknown header member")
    }

    /// The same strings stay accepted when they are UTF-8, escaped or not.
    @Test func utf8InSkippedStringsIsAccepted() {
        let verifier = Support.verifier(keys: [Support.hs256Key()])
        let payload = Support.payloadJSON(extra: #","é":["\u00e9 € 🔑 \ud83d\udd11",{"ü":"ü"}]"#)
        #expect(Support.rejection(of: Support.craftHS256(header: Support.hs256Header, payload: payload), by: verifier) == nil)
    }
}
