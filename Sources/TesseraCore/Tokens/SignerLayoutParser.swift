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

    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, expecting expected: ClaimsParser.Expectation) -> ClaimsParser.Result? {
        var parser = SignerLayoutParser(bytes)
        return parser.parse(expecting: expected)
    }

    private mutating func parse(expecting expected: ClaimsParser.Expectation) -> ClaimsParser.Result? {
        guard literal("{\"iss\":\""), issuer(expected.issuerUTF8), literal(",\"sub\":\""),
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

    /// Consumes `expected` if the bytes at the position are exactly it. Inlined, so that
    /// each literal is compared as constants; the literals are too short for a `memcmp` call.
    @inline(__always)
    private mutating func literal(_ expected: StaticString) -> Bool {
        let count = expected.utf8CodeUnitCount
        guard bytes.count - position >= count, let base = bytes.baseAddress else { return false }
        let start = base + position
        let literal = expected.utf8Start
        for index in 0..<count where start[index] != literal[index] {
            return false
        }
        position += count
        return true
    }

    /// Consumes the configured issuer's bytes and the closing quote if they come next.
    private mutating func issuer(_ expected: [UInt8]) -> Bool {
        guard bytes.count - position > expected.count,
            expected.withUnsafeBufferPointer({ UnsafeBufferPointer(rebasing: bytes[position..<(position + $0.count)]).hasSameBytes(as: $0) }),
            bytes[position + expected.count] == UInt8(ascii: "\"")
        else { return false }
        position += expected.count + 1
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
        UnsafeBufferPointer(rebasing: bytes[range]).utf8String
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

    /// A JSON integer in canonical form of at most 18 digits (which cannot overflow
    /// `Int64`); longer ones are left to the general parser.
    private mutating func integer() -> Int64? {
        var scan = position
        let isNegative = scan < bytes.count && bytes[scan] == UInt8(ascii: "-")
        if isNegative { scan += 1 }
        let digitsStart = scan
        while scan < bytes.count, bytes[scan] &- UInt8(ascii: "0") < 10 { scan += 1 }
        let digits = scan - digitsStart
        guard (1...18).contains(digits), digits == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return nil }
        var value: Int64 = 0
        for index in digitsStart..<scan {
            value = value &* 10 &+ Int64(bytes[index] &- UInt8(ascii: "0"))
        }
        position = scan
        return isNegative ? -value : value
    }

    /// The roles array after its `[`, up to and past its `]`, built as ``RoleList/init(_:)``
    /// does. The common case, every role non-empty, plain ASCII and comma-free, is copied
    /// straight into the joined string (the array's bytes without their quotes).
    private mutating func roleList() -> RoleList? {
        if literal("]") { return .joined("") }
        let start = position
        var joinedCount = 0
        var isPlain = true
        var scan = position
        // `"a","b"]`: count the bytes between quotes; anything unusual takes the slow way.
        while isPlain {
            guard scan < bytes.count, bytes[scan] == UInt8(ascii: "\"") else { return nil }
            scan += 1
            let roleStart = scan
            while scan < bytes.count, bytes[scan] != UInt8(ascii: "\"") {
                let byte = bytes[scan]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { isPlain = false }
                scan += 1
            }
            guard scan < bytes.count else { return nil }
            if scan == roleStart { isPlain = false }
            joinedCount += scan - roleStart + (joinedCount > 0 ? 1 : 0)
            scan += 1
            guard scan < bytes.count else { return nil }
            if bytes[scan] == UInt8(ascii: "]") { break }
            guard bytes[scan] == UInt8(ascii: ",") else { return nil }
            scan += 1
        }
        guard isPlain else { return roleListSlowly() }
        let joined = String(unsafeUninitializedCapacity: joinedCount) { output in
            var written = 0
            for index in start..<scan where bytes[index] != UInt8(ascii: "\"") {
                output[written] = bytes[index]
                written += 1
            }
            return written
        }
        position = scan + 1
        return .joined(joined)
    }

    /// ``roleList()`` for roles with commas, escapes, non-ASCII or empty ones.
    private mutating func roleListSlowly() -> RoleList? {
        var roles = RoleList.Builder()
        repeat {
            guard literal("\""), let role = string() else { return nil }
            roles.append(role)
        } while literal(",")
        guard literal("]") else { return nil }
        return roles.roleList
    }
}
