import Foundation
import Testing

@testable import TesseraHTTP

@Suite struct JSONTextTests {
    @Test func stringsAreEscapedExactlyWhereJSONRequires() {
        let text = "plain \"quote\" back\\slash \n\r\t \u{0}\u{1f} é 🔑 / \u{7f}"
        let written = JSONText.object([("k\"ey", .string(text))])
        #expect(written == #"{"k\"ey":"plain \"quote\" back\\slash \n\r\t \u0000\u001f é 🔑 / \#u{7f}"}"#)
        let decoded = try? JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: String]
        #expect(decoded?["k\"ey"] == text)
    }

    @Test func aStringWithoutEscapesIsCopiedWhole() {
        let token = String(repeating: "eyJhbGciOiJIUzI1NiJ9.abc_-", count: 20)
        #expect(JSONText.object([("access_token", .string(token)), ("n", .int(-3))]) == #"{"access_token":"\#(token)","n":-3}"#)
        #expect(JSONText.object([("", .string(""))]) == #"{"":""}"#)
    }
}
