import FuzzSupport
import HTTPTypes
import Hummingbird
import TesseraCore

@testable import TesseraHTTP
@testable import TesseraVerifierHummingbird

// The `Authorization` header on untrusted bytes, as both parsers read it: the server's bearer
// authenticator (which also reads revocation feed credentials) and the API node middleware's. The
// bytes are the field value as the HTTP server hands it over (decoded as UTF-8, then legalized by
// HTTPField). Tessera reads no other scheme: client authentication (`Basic`) is not parsed at all.
// Invariants, against a byte-level reading of RFC 6750 §2.1 (`"Bearer" 1*SP token`, the scheme
// in any ASCII case): both parsers return exactly the bytes after the scheme and its spaces, or
// nothing when there are none; a header over 8 KiB is an error; and a feed credential parsed
// from the token is its bytes split at its one dot, both parts non-empty.

@_cdecl("FuzzAuthorization_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { start, count in fuzzAuthorization(start, count) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAuthorization(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = fuzzInput(start, count)
    let field = HTTPField(name: .authorization, value: String(decoding: input, as: UTF8.self))
    let value = Array(field.value.utf8)
    let request = Request(
        head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/", headerFields: HTTPFields([field])),
        body: RequestBody(buffer: .init())
    )
    let expected = referenceBearerToken(value)

    do {
        let token = try BearerAuthenticator.bearerToken(in: request)
        invariant(value.count <= BearerAuthenticator.maxHeaderBytes, "accepted a header of \(value.count) bytes")
        invariant(
            token.map { Array($0.utf8) } == expected,
            "server read \(String(describing: token)) from \(value), expected \(String(describing: expected))"
        )
        if let token { checkFeedCredential(token) }
    } catch {
        invariant(value.count > BearerAuthenticator.maxHeaderBytes, "refused a header of \(value.count) bytes")
    }

    do {
        let token = try BearerToken.find(in: request, realm: "api")
        invariant(value.count <= BearerToken.maxHeaderBytes, "accepted a header of \(value.count) bytes")
        invariant(
            token.map { Array($0.utf8) } == expected,
            "middleware read \(String(describing: token)) from \(value), expected \(String(describing: expected))"
        )
    } catch {
        invariant(value.count > BearerToken.maxHeaderBytes, "refused a header of \(value.count) bytes")
    }

    checkFeedCredential(Substring(field.value))
    return 0
}

/// `Bearer`, one or more spaces, and the rest, by bytes; nil for no token.
private func referenceBearerToken(_ value: [UInt8]) -> [UInt8]? {
    let scheme = Array("bearer".utf8)
    guard value.count > scheme.count,
        zip(value, scheme).allSatisfy({ byte, letter in (0x41...0x5A).contains(byte) ? byte + 0x20 == letter : byte == letter }),
        value[scheme.count] == 0x20
    else { return nil }
    let token = value.dropFirst(scheme.count).drop(while: { $0 == 0x20 })
    return token.isEmpty ? nil : Array(token)
}

private func checkFeedCredential(_ text: Substring) {
    guard let credential = FeedCredential(text) else { return }
    let bytes = Array(text.utf8)
    invariant(bytes.count <= 256, "a feed credential of \(bytes.count) bytes")
    let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
    invariant(dots.count == 1, "a feed credential with \(dots.count) dots: \(bytes)")
    invariant(Array(credential.id.utf8) == Array(bytes[..<dots[0]]), "feed credential id is not the bytes before the dot")
    invariant(Array(credential.secret.utf8) == Array(bytes[(dots[0] + 1)...]), "feed credential secret is not the bytes after the dot")
    invariant(!credential.id.isEmpty && !credential.secret.isEmpty, "a feed credential with an empty part")
}
