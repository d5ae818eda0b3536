import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The parameters of an OAuth-style request body: `application/x-www-form-urlencoded`
/// (RFC 6749) or a JSON object of strings.
struct RequestParameters: Sendable {
    private var values: [String: String]

    init(_ values: [String: String]) {
        self.values = values
    }

    subscript(_ name: String) -> String? {
        values[name]
    }

    /// A required, non-empty parameter.
    func required(_ name: String) throws(APIError) -> String {
        guard let value = values[name], !value.isEmpty else {
            throw APIError.invalidRequest("the '\(name)' parameter is required")
        }
        return value
    }

    /// Reads the body (at most the context's limit: 413 beyond) and parses it by content type.
    static func read(from request: Request, context: TesseraRequestContext) async throws -> RequestParameters {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let bytes = Array(body.readableBytesView)
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            return try parseJSON(bytes)
        }
        if contentType.isEmpty || contentType.hasPrefix("application/x-www-form-urlencoded") {
            return try parseForm(bytes)
        }
        throw APIError.invalidRequest("the body must be application/x-www-form-urlencoded or application/json")
    }

    static func parseJSON(_ bytes: [UInt8]) throws(APIError) -> RequestParameters {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw APIError.invalidRequest("the body must be a JSON object")
        }
        var values: [String: String] = [:]
        for (name, value) in object {
            switch value {
            case let text as String: values[name] = text
            case is NSNull: continue
            default: throw APIError.invalidRequest("the '\(name)' member must be a string")
            }
        }
        return RequestParameters(values)
    }

    /// Parses a form body; a repeated parameter is an error (RFC 6749 §3.2).
    static func parseForm(_ bytes: [UInt8]) throws(APIError) -> RequestParameters {
        var values: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decodeComponent(parts[0])
            let value = parts.count > 1 ? try decodeComponent(parts[1]) : ""
            guard values[name] == nil else { throw APIError.invalidRequest("the '\(name)' parameter is repeated") }
            values[name] = value
        }
        return RequestParameters(values)
    }

    private static func decodeComponent(_ bytes: ArraySlice<UInt8>) throws(APIError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex,
                    let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else {
                    throw APIError.invalidRequest("the form body has a bad percent-encoding")
                }
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw APIError.invalidRequest("form values must be UTF-8")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
