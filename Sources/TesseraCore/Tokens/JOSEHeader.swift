/// The members of a JWS protected header that the verifier looks at.
///
/// Values are ranges of the reader's buffer. `crit` is refused outright: Tessera
/// understands no extension header, so RFC 7515 §4.1.11 requires rejecting any.
struct JOSEHeader {
    var algorithm: Range<Int>?
    var keyID: Range<Int>?
    var type: Range<Int>?

    static func parse(_ reader: inout JSONReader) throws(TokenRejection) -> JOSEHeader {
        var header = JOSEHeader()
        var names = MemberNames()
        try reader.beginObject()
        var isFirst = true
        while let key = try reader.nextKey(isFirst: &isFirst) {
            if reader.range(key, equals: "alg") {
                guard names.insert(known: 0) else { throw reader.failure }
                header.algorithm = try reader.readString()
            } else if reader.range(key, equals: "kid") {
                guard names.insert(known: 1) else { throw reader.failure }
                header.keyID = try reader.readString()
            } else if reader.range(key, equals: "typ") {
                guard names.insert(known: 2) else { throw reader.failure }
                header.type = try reader.readString()
            } else if reader.range(key, equals: "crit") {
                throw reader.failure
            } else {
                guard names.insert(unknown: reader.bytes(in: key)) else { throw reader.failure }
                try reader.skipValue()
            }
        }
        try reader.expectEnd()
        return header
    }
}
