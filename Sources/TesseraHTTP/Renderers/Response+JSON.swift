import HTTPTypes
import Hummingbird
import NIOCore
import TesseraAuth
import TesseraCore

extension Response {
    /// A JSON response from already-serialized text.
    static func json(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The answer of a revoking call: 204 (or `status`) with `Tessera-Revocation-Id` naming
    /// the last event it appended, when it appended any.
    static func revoked(_ revocation: Revocation, status: HTTPResponse.Status = .noContent, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        if let receipt = revocation.receipt { headers[.revocationID] = receipt.description }
        return Response(status: status, headers: headers)
    }
}
