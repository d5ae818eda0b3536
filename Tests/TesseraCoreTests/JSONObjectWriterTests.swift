import Foundation
import TesseraCore
import Testing

@Suite struct JSONObjectWriterTests {
    @Test func stringsAreEscapedExactlyWhereJSONRequires() throws {
        let text = "plain \"quote\" back\\slash \n\r\t \u{0}\u{1f} é 🔑 / \u{7f}"
        var writer = JSONObjectWriter()
        writer.add("k\"ey", text)
        let written = writer.finishText()
        #expect(written == #"{"k\"ey":"plain \"quote\" back\\slash \u000a\u000d\u0009 \u0000\u001f é 🔑 / \#u{7f}"}"#)
        let decoded = try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: String]
        #expect(decoded?["k\"ey"] == text)
        #expect(JSONObjectWriter.quoted(text) == String(written.dropFirst(#"{"k\"ey":"#.count).dropLast()))
    }

    @Test func everyKindOfMemberInOrder() throws {
        var writer = JSONObjectWriter()
        writer.add("s", "x")
        writer.add("n", Int64(-3))
        writer.add("t", true)
        writer.add("f", false)
        writer.add("none", nil as String?)
        writer.add("roles", ["a", "b\""])
        writer.addRaw("raw", Array(#"{"a":[1,2]}"#.utf8))
        writer.addRawArray("list", [Array("1".utf8), Array(#""two""#.utf8)])
        writer.addRawArray("empty", [])
        #expect(
            writer.finishText()
                == #"{"s":"x","n":-3,"t":true,"f":false,"none":null,"roles":["a","b\""],"raw":{"a":[1,2]},"list":[1,"two"],"empty":[]}"#
        )
    }

    @Test func anEmptyObject() {
        var writer = JSONObjectWriter()
        #expect(writer.finishText() == "{}")
    }
}
