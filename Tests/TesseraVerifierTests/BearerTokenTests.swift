import HTTPTypes
import Hummingbird
import TesseraTestSupport
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

    /// The shared cases (`BearerHeaderCase`), through this reader.
    @Test(arguments: BearerHeaderCase.all)
    func readsTheTokenAsEveryReaderMust(_ example: BearerHeaderCase) throws {
        #expect(try Self.token(in: example.header) == example.token)
    }
}
