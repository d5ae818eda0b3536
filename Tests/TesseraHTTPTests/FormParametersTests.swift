import Testing

@testable import TesseraHTTP

/// The OAuth endpoints' form bodies, read by bytes as a proxy or a client library reads them.
@Suite struct FormParametersTests {
    private func parse(_ text: String) throws(FormParameters.Failure) -> FormParameters {
        try FormParameters(Array(text.utf8))
    }

    @Test func readsPairsWithPlusAndPercentEscapes() throws {
        let form = try parse("grant_type=refresh_token&refresh_token=a%2Bb+c%20d&scope=&username=%C3%A9")
        #expect(form["grant_type"] == "refresh_token")
        #expect(form["refresh_token"] == "a+b c d")
        #expect(form["scope"] == "")
        #expect(form["username"] == "é")
        #expect(form["password"] == nil)
    }

    @Test func emptyPairsAndPairsWithoutEqualsNameNothing() throws {
        let form = try parse("&&username=a&password&=x&")
        #expect(form["username"] == "a")
        #expect(form["password"] == nil)
        #expect(form[""] == "x")
    }

    @Test func aValueKeepsEverythingAfterItsFirstEquals() throws {
        #expect(try parse("token=a=b==")["token"] == "a=b==")
    }

    @Test func aRepeatedNameIsRefusedAlsoWhenOnlyItsEscapesDiffer() {
        for body in ["username=a&username=b", "username=a&username=a", "grant_type=x&grant%5Ftype=y", "a=1&b=2&a=3"] {
            #expect(throws: FormParameters.Failure.repeated, "\(body)") { try parse(body) }
        }
    }

    @Test func badEscapesAndBytesThatAreNotUTF8AreRefused() {
        for body in ["password=%zz", "password=%4", "password=%", "password=%FF", "pass%C3word=x", "a=%C3%28"] {
            #expect(throws: FormParameters.Failure.badEncoding, "\(body)") { try parse(body) }
        }
        #expect(throws: FormParameters.Failure.badEncoding) { try FormParameters([0x61, 0x3D, 0xFF]) }
    }

    /// Hummingbird's form decoder found `&` and `=` by Character: `&` followed by a combining
    /// mark was no separator there, so `grant_type` read `password&\u{301}x=1` where every
    /// byte-reading proxy sees `password` and a second parameter.
    @Test func separatorsAreBytesEvenBeforeACombiningMark() throws {
        let form = try parse("grant_type=password&\u{301}x=1&username=\u{301}a")
        #expect(form["grant_type"] == "password")
        #expect(form["\u{301}x"] == "1")
        #expect(form["username"] == "\u{301}a")
        let equals = try parse("username=\u{301}=b")
        #expect(equals["username"] == "\u{301}=b")
    }
}
