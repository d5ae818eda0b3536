import HTTPTypes
import Hummingbird
import Testing

@testable import TesseraVerifierHummingbird

/// How the API node middleware reads the token out of `Authorization: Bearer …`.
@Suite struct BearerTokenTests {
    static func token(in value: String) throws -> String? {
        let request = Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/", headerFields: [.authorization: value]),
            body: RequestBody(buffer: .init())
        )
        return try BearerToken.find(in: request, realm: "api").map(String.init)
    }

    @Test func theTokenIsEverythingAfterTheSchemeAndItsSpaces() throws {
        #expect(try Self.token(in: "Bearer abc.def.ghi") == "abc.def.ghi")
        #expect(try Self.token(in: "bEaReR    abc") == "abc")
        #expect(try Self.token(in: "Bearer") == nil)
        #expect(try Self.token(in: "Bearer ") == nil)
        #expect(try Self.token(in: "Basic YWxpY2U6c2VjcmV0") == nil)
        #expect(try Self.token(in: "Bearerabc") == nil)
    }

    /// Found by fuzzing, as in the server's authenticator: `Bearer \u{301}TOKEN` was read as
    /// `TOKEN`, the combining mark cut off with the space it combines with.
    @Test(arguments: ["\u{301}", "\u{200D}", "\u{0903}", "\u{FE0F}"])
    func aMarkThatCombinesWithTheSpaceStaysInTheToken(mark: String) throws {
        #expect(try Self.token(in: "Bearer \(mark)abc") == "\(mark)abc")
        #expect(try Self.token(in: "Bearer  \(mark)abc") == "\(mark)abc")
    }
}
