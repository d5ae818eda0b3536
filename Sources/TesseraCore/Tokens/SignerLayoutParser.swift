/// Reads a claim set laid out exactly as ``TokenSigner`` writes it, in one pass and without
/// looking members up by name: the fast path for the tokens a deployment issues itself.
///
/// The layout is `{"iss":…,"sub":…,"username":…,["aud":…,]"exp":…,"iat":…,["nbf":…,]`
/// `"jti":…,"sid":…,"roles":[…],"scope":…}` with no whitespace, strings without escapes,
/// integers in canonical decimal, and `iss` equal to the configured issuer. Anything else
/// (another order, an escape, an unknown member, a wrong issuer) gives `nil`, and the
/// caller parses the same bytes with the general ``ClaimsParser``, which reads every valid
/// claim set and explains every rejection. So this parser only has to be right about what
/// it accepts: everything it accepts, the general parser accepts with the same result (a
/// test checks both on the same tokens).
struct SignerLayoutParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, expecting expected: ClaimsParser.Expectation) -> ClaimsParser.Result? {
        var parser = SignerLayoutParser(bytes)
        return parser.parse(expecting: expected)
    }

    private mutating func parse(expecting expected: ClaimsParser.Expectation) -> ClaimsParser.Result? {
        guard literal("{\"iss\":\""),
            expected.issuerUTF8.withUnsafeBufferPointer({ literal($0) }), literal("\",\"sub\":\""),
            let subject = id(), literal(",\"username\":\""),
            let username = string()
        else { return nil }
        var audience: String?
        var hasAudience = expected.audience == nil
        if literal(",\"aud\":\"") {
            guard let range = stringRange() else { return nil }
            if expected.audienceUTF8.withUnsafeBufferPointer({ UnsafeBufferPointer(rebasing: bytes[range]).hasSameBytes(as: $0) }) {
                audience = expected.audience
                hasAudience = true
            } else {
                guard let other = string(range) else { return nil }
                audience = other
            }
        }
        guard literal(",\"exp\":"), let expiresAt = integer(), literal(",\"iat\":"), let issuedAt = integer() else { return nil }
        var notBefore: Int64?
        if literal(",\"nbf\":") {
            guard let value = integer() else { return nil }
            notBefore = value
        }
        guard literal(",\"jti\":\""), let tokenID = id(), literal(",\"sid\":\""), let sessionID = id(),
            literal(",\"roles\":["), let roles = roleList(), literal(",\"scope\":\""), let scope = string(),
            literal("}"), position == bytes.count
        else { return nil }
        let claims = AccessTokenClaims(
            issuer: expected.issuer,
            subjectID: subject,
            username: username,
            audience: audience,
            expiresAt: expiresAt,
            issuedAt: issuedAt,
            notBefore: notBefore,
            tokenIDClaim: tokenID,
            sessionIDClaim: sessionID,
            roleList: roles,
            scope: scope
        )
        return ClaimsParser.Result(claims: claims, hasIssuer: true, hasAudience: hasAudience)
    }

    // MARK: Pieces

    /// Consumes `expected` if the bytes at the position are exactly it.
    private mutating func literal(_ expected: StaticString) -> Bool {
        literal(UnsafeBufferPointer(start: expected.utf8Start, count: expected.utf8CodeUnitCount))
    }

    private mutating func literal(_ expected: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count - position >= expected.count,
            UnsafeBufferPointer(rebasing: bytes[position..<(position + expected.count)]).hasSameBytes(as: expected)
        else { return false }
        position += expected.count
        return true
    }

    /// The rest of a string whose opening quote is consumed, up to and past its closing
    /// quote; `nil` at an escape or a control character.
    private mutating func stringRange() -> Range<Int>? {
        let start = position
        var scan = position
        while scan < bytes.count {
            let byte = bytes[scan]
            if byte == UInt8(ascii: "\"") {
                position = scan + 1
                return start..<scan
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            scan += 1
        }
        return nil
    }

    private mutating func string() -> String? {
        stringRange().flatMap { string($0) }
    }

    /// The `String` of a range; `nil` when it is not UTF-8.
    private func string(_ range: Range<Int>) -> String? {
        let utf8 = UnsafeBufferPointer(rebasing: bytes[range])
        if utf8.isASCII { return String(decoding: utf8, as: UTF8.self) }
        return String(validating: utf8, as: UTF8.self)
    }

    /// An id string (opening quote consumed): 22 characters of base64url and a quote need
    /// no scan, since no base64url character is a quote, a backslash or a control character.
    private mutating func id() -> ClaimID? {
        if bytes.count - position > 22, bytes[position + 22] == UInt8(ascii: "\""),
            let id = OpaqueID(utf8: UnsafeBufferPointer(rebasing: bytes[position..<(position + 22)]))
        {
            position += 23
            return .compact(id)
        }
        return string().map(ClaimID.text)
    }

    /// A JSON integer in canonical form that fits `Int64`.
    private mutating func integer() -> Int64? {
        var scan = position
        let isNegative = scan < bytes.count && bytes[scan] == UInt8(ascii: "-")
        if isNegative { scan += 1 }
        let digitsStart = scan
        var value: Int64 = 0
        while scan < bytes.count, bytes[scan] &- UInt8(ascii: "0") < 10 {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(bytes[scan] &- UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            scan += 1
        }
        let digits = scan - digitsStart
        guard digits > 0, digits == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return nil }
        position = scan
        return isNegative ? -value : value
    }

    /// The roles array after its `[`, up to and past its `]`, built as ``RoleList/init(_:)`` does.
    private mutating func roleList() -> RoleList? {
        if literal("]") { return .joined("") }
        var roles: [String] = []
        var joined = ""
        var canJoin = true
        repeat {
            guard literal("\""), let role = string() else { return nil }
            if canJoin && RoleList.canJoin(role) {
                if !joined.isEmpty { joined.append(",") }
                joined.append(role)
            } else {
                if canJoin { roles = joined.isEmpty ? [] : joined.split(separator: ",").map(String.init) }
                canJoin = false
                roles.append(role)
            }
        } while literal(",")
        guard literal("]") else { return nil }
        return canJoin ? .joined(joined) : .list(roles)
    }
}
