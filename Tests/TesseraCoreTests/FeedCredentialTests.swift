import TesseraCore
import Testing

/// Parsing the `ID.SECRET` an API node sends as its feed credential.
@Suite struct FeedCredentialTests {
    @Test func idAndSecretAreTheBytesAroundTheOneDot() throws {
        let credential = try #require(FeedCredential("abc.def"))
        #expect(credential.id == "abc")
        #expect(credential.secret == "def")
        let made = FeedCredential.make()
        #expect(FeedCredential(made.text) == made)
    }

    @Test(arguments: ["", "abc", ".def", "abc.", "a.b.c", String(repeating: "a", count: 200) + "." + String(repeating: "b", count: 57)])
    func anythingElseIsNoCredential(text: String) {
        #expect(FeedCredential(text) == nil)
    }

    /// Found by fuzzing (fuzz/corpus/FuzzAuthorization/finding-*): the dots were found by
    /// Characters, and a dot followed by a combining mark is not a "." Character, so a second
    /// dot went unseen and `a.b.\u{301}c` parsed, with a dot in its secret.
    @Test(arguments: ["\u{301}", "\u{200D}", "\u{FE0F}"])
    func aDotFollowedByACombiningMarkIsStillADot(mark: String) {
        #expect(FeedCredential("a.b.\(mark)c") == nil)
        #expect(FeedCredential("a.\(mark)b")?.secret == "\(mark)b")
        #expect(FeedCredential("a\(mark).b")?.id == "a\(mark)")
    }
}
