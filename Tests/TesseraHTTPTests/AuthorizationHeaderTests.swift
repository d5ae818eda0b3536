import HTTPTypes
import Hummingbird
import TesseraTestSupport
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

    /// The shared cases (`BearerHeaderCase`), through this reader.
    @Test(arguments: BearerHeaderCase.all)
    func readsTheTokenAsEveryReaderMust(_ example: BearerHeaderCase) throws {
        #expect(try Self.token(in: example.header) == example.token)
    }
}
