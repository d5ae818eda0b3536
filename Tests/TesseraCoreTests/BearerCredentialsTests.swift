import TesseraCore
import TesseraTestSupport
import Testing

/// The `Authorization: Bearer` rule itself, which the server, the revocation feed and the
/// API-node middleware all read the header with.
@Suite struct BearerCredentialsTests {
    @Test(arguments: BearerHeaderCase.all)
    func readsTheTokenAsEveryReaderMust(_ example: BearerHeaderCase) {
        let expected: BearerCredentials.Reading = example.token.map { .token(Substring($0)) } ?? .none
        #expect(BearerCredentials.read(example.header) == expected)
    }

    @Test func noHeaderIsNoneAndAnOversizedOneIsTooLarge() {
        #expect(BearerCredentials.read(nil) == .none)
        let limit = BearerCredentials.maxHeaderBytes
        #expect(BearerCredentials.read("Bearer " + String(repeating: "a", count: limit - 7)) != .tooLarge)
        #expect(BearerCredentials.read("Bearer " + String(repeating: "a", count: limit - 6)) == .tooLarge)
    }
}
