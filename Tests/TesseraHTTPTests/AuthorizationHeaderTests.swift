import HTTPTypes
import Hummingbird
import Testing

@testable import TesseraHTTP

/// How the server reads the token out of `Authorization: Bearer …` (RFC 6750 §2.1:
/// `"Bearer" 1*SP b64token`, the scheme in any ASCII case).
@Suite struct AuthorizationHeaderTests {
    static func token(in value: String) throws -> String? {
        let request = Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/", headerFields: [.authorization: value]),
            body: RequestBody(buffer: .init())
        )
        return try BearerAuthenticator.bearerToken(in: request).map(String.init)
    }

    @Test func theTokenIsEverythingAfterTheSchemeAndItsSpaces() throws {
        #expect(try Self.token(in: "Bearer abc.def.ghi") == "abc.def.ghi")
        #expect(try Self.token(in: "bEaReR    abc") == "abc")
        #expect(try Self.token(in: "Bearer") == nil)
        #expect(try Self.token(in: "Bearer ") == nil)
        #expect(try Self.token(in: "Basic YWxpY2U6c2VjcmV0") == nil)
        #expect(try Self.token(in: "Bearerabc") == nil)
    }

    /// Found by fuzzing (fuzz/corpus/FuzzAuthorization/finding-*): the scheme was matched on
    /// bytes but cut off by Characters, and a mark that combines with the space after `Bearer`
    /// belongs to that space's Character, so it was cut off with it: `Bearer \u{301}TOKEN` was
    /// read as `TOKEN`, a header that is not a bearer credential authenticated. The token is
    /// the bytes after the scheme and its spaces, so the mark stays and the token is refused.
    @Test(arguments: ["\u{301}", "\u{200D}", "\u{0903}", "\u{FE0F}"])
    func aMarkThatCombinesWithTheSpaceStaysInTheToken(mark: String) throws {
        #expect(try Self.token(in: "Bearer \(mark)abc") == "\(mark)abc")
        #expect(try Self.token(in: "Bearer  \(mark)abc") == "\(mark)abc")
    }
}
