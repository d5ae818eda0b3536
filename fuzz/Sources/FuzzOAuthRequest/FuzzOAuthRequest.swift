import Foundation
import FuzzSupport
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import TesseraCore

@testable import TesseraHTTP

// The OAuth endpoints' body decoder and the admin routes' query parameters on untrusted bytes.
// The first byte picks what the rest is:
//   0-5  a body of /token, /revoke and /introspect, under one of six Content-Type values (form,
//        form with a charset, JSON, none, upper-case JSON, text/plain);
//   6-7  the query string of GET /admin/events (`limit`, `before`, `after`), and an event id.
// Invariants: bad input is always a 400 (413 past the limit) with one of the decoder's own
// messages, which name at most a known parameter and never echo a value; a form body that is not
// UTF-8 is refused; a repeated form parameter is refused; every parameter decoded from a form is
// its percent-decoded value, which is also what survives encoding it again; every parameter
// decoded from JSON is the value Foundation's JSONSerialization reads (when it reads the body);
// limits lie in 1...1000; event ids read from a query are `DIGITS-DIGITS` and print back to
// themselves.

private let contentTypes: [String?] = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=UTF-8",
    "application/json",
    nil,
    "Application/JSON; charset=utf-8",
    "text/plain",
]

private let knownParameters = ["grant_type", "username", "password", "refresh_token", "scope", "token", "token_type_hint"]

/// A channel for the request context; a global, so that it stays reachable and LeakSanitizer
/// does not take its never-closed pipeline for a leak.
private let channel = EmbeddedChannel()
private let context = TesseraRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: Logger(label: "fuzz")))

@_cdecl("FuzzOAuthRequest_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { start, count in fuzzOAuthRequest(start, count) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOAuthRequest(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = fuzzInput(start, count)
    guard let mode = input.first else { return 0 }
    let rest = Array(input.dropFirst())
    switch Int(mode % 8) {
    case let index where index < contentTypes.count:
        checkBody(rest, contentType: contentTypes[index])
    default:
        checkQuery(rest)
    }
    return 0
}

// MARK: Bodies

private func checkBody(_ body: [UInt8], contentType: String?) {
    let token = decode(TokenRequest.self, body, contentType)
    let handling = decode(TokenHandlingRequest.self, body, contentType)
    let lowercased = contentType?.lowercased() ?? ""
    let isJSON = lowercased.hasPrefix("application/json")
    let isForm = lowercased.isEmpty || lowercased.hasPrefix("application/x-www-form-urlencoded")
    if !isJSON && !isForm {
        invariant(token == nil && handling == nil, "decoded a body of content type \(lowercased)")
        return
    }
    var values: [String: String?] = [:]
    if let token {
        values.updateValue(token.grantType, forKey: "grant_type")
        values.updateValue(token.username, forKey: "username")
        values.updateValue(token.password, forKey: "password")
        values.updateValue(token.refreshToken, forKey: "refresh_token")
        values.updateValue(token.scope, forKey: "scope")
    }
    if let handling {
        values.updateValue(handling.token, forKey: "token")
        values.updateValue(handling.tokenTypeHint, forKey: "token_type_hint")
    }
    guard token != nil || handling != nil else { return }
    if isJSON {
        checkJSON(body, decoded: values)
    } else {
        checkForm(body, decoded: values)
    }
}

/// Decodes through the same path the routes use; nil for an error, which must be a 400 or 413
/// with one of the decoder's own messages.
private func decode<T: OAuthParameters>(_ type: T.Type, _ body: [UInt8], _ contentType: String?) -> T? {
    var fields = HTTPFields()
    if let contentType { fields[.contentType] = contentType }
    let request = Request(
        head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/token", headerFields: fields),
        body: RequestBody(buffer: ByteBuffer(bytes: body))
    )
    let outcome: Result<T, any Error> = runBlocking {
        do {
            return .success(try await request.decodeOAuthBody(as: type, context: context))
        } catch {
            return .failure(error)
        }
    }
    switch outcome {
    case .success(let value):
        return value
    case .failure(let error):
        guard let error = error as? HTTPError else { fatalError("a body gave an error that is not an HTTPError: \(error)") }
        invariant(error.status == .badRequest || error.status == .contentTooLarge, "a body gave status \(error.status)")
        checkMessage(error.body ?? "")
        return nil
    }
}

private let fixedMessages: Set<String> = [
    "the body must be application/x-www-form-urlencoded or application/json",
    "form values must be UTF-8",
    "the form body is malformed: a parameter is repeated",
    "the form body is malformed: bad encoding",
    "the body must be a form or a JSON object",
    "malformed request",
]

private func checkMessage(_ message: String) {
    if fixedMessages.contains(message) { return }
    for name in knownParameters where message == "the '\(name)' parameter must be a string" || message == "the '\(name)' parameter is required" {
        return
    }
    fatalError("unexpected error message: \(message)")
}

private func checkJSON(_ body: [UInt8], decoded: [String: String?]) {
    guard let object = oracleJSON(body) as? [String: Any] else {
        // Known, and Foundation's: its JSONDecoder checks only the members it decodes, and takes
        // control characters unescaped inside strings (RFC 8259 §7 says they must be escaped), so
        // it decodes bodies that are not JSON (or not UTF-8) where JSONSerialization refuses them.
        // Every parameter Tessera reads is still checked below when both read the body.
        return
    }
    // Known, not fixed yet: a JSON body may repeat a parameter (a form may not), and then
    // JSONDecoder and JSONSerialization keep different occurrences.
    var names: [String: Int] = [:]
    if case .object(let members) = ReferenceJSON.parse(body) {
        for member in members { names[member.name, default: 0] += 1 }
    }
    for (name, value) in decoded where names[name, default: 0] <= 1 {
        invariant(object[name] as? String == value, "JSON parameter \(name) decoded as \(String(describing: value))")
    }
}

private func checkForm(_ body: [UInt8], decoded: [String: String?]) {
    guard let text = String(validating: body, as: UTF8.self) else { fatalError("decoded a form body that is not UTF-8: \(body)") }
    // The reference reading of application/x-www-form-urlencoded, by bytes: `&`-separated
    // `name=value` pairs (a pair without `=` names nothing), `+` for space, percent escapes.
    var occurrences: [String: [String?]] = [:]
    for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
        guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { continue }
        guard let name = percentDecode(pair[..<equals]) else { continue }
        occurrences[name, default: []].append(percentDecode(pair[(equals + 1)...]))
    }
    for name in knownParameters {
        let seen = occurrences[name] ?? []
        invariant(seen.count <= 1, "decoded a form that repeats \(name): \(text)")
        guard let decodedValue = decoded[name] else { continue }
        if let only = seen.first, let expected = only {
            invariant(decodedValue == expected, "form parameter \(name) decoded as \(String(describing: decodedValue)), not \(expected)")
        } else if seen.isEmpty {
            invariant(decodedValue == nil, "form parameter \(name) decoded from nowhere")
        }
    }
    checkRoundTrip(decoded)
}

/// Encoding the decoded parameters again and decoding that gives the same parameters.
private func checkRoundTrip(_ decoded: [String: String?]) {
    let encoded = decoded.compactMap { name, value in value.map { "\(name)=\(percentEncode($0))" } }.sorted().joined(separator: "&")
    let again = decode(TokenRequest.self, Array(encoded.utf8), "application/x-www-form-urlencoded")
    invariant(again != nil, "re-encoded form refused: \(encoded)")
    if let again {
        for (name, value) in [
            ("grant_type", again.grantType), ("username", again.username), ("password", again.password),
            ("refresh_token", again.refreshToken), ("scope", again.scope),
        ] where decoded.keys.contains(name) {
            invariant(value == decoded[name] ?? nil, "\(name) changed across encode and decode")
        }
    }
}

private func percentDecode(_ bytes: ArraySlice<UInt8>) -> String? {
    String(decoding: bytes.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self).removingPercentEncoding
}

private func percentEncode(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
}

// MARK: Queries

private func checkQuery(_ bytes: [UInt8]) {
    let query = String(decoding: bytes, as: UTF8.self)
    let request = Request(
        head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/admin/events?" + query),
        body: RequestBody(buffer: ByteBuffer())
    )
    do {
        let limit = try request.pageLimit()
        invariant((1...1000).contains(limit), "limit \(limit)")
        if request.uri.queryParameters["limit"] == nil { invariant(limit == 100, "default limit \(limit)") }
    } catch {
        invariant(error.status == .badRequest, "limit error \(error.status)")
    }
    for cursor in [EventCursor.before, .after] {
        do {
            guard let id = try request.eventCursor(cursor) else {
                invariant(request.uri.queryParameters[Substring(cursor.rawValue)] == nil, "a \(cursor) cursor went unread")
                continue
            }
            let text = String(request.uri.queryParameters[Substring(cursor.rawValue)] ?? "")
            invariant(isEventIDText(text), "read \(cursor)=\(text) as an event id")
            invariant(id != cursor.edge, "accepted the edge as \(cursor)")
            invariant(EventID(id.description) == id, "event id \(id) does not print back to itself")
        } catch {
            invariant(error.status == .badRequest, "cursor error \(error.status)")
        }
    }
    if let id = EventID(query) {
        invariant(isEventIDText(query), "read \(query) as an event id")
        invariant(EventID(id.description) == id, "event id \(id) does not print back to itself")
    }
}

/// `DIGITS-DIGITS`, 1 to 20 ASCII digits each.
private func isEventIDText(_ text: String) -> Bool {
    let parts = text.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
    return parts.count == 2 && parts.allSatisfy { (1...20).contains($0.count) && $0.allSatisfy { (0x30...0x39).contains($0) } }
}
