/// Reads a verified token's claim set into ``AccessTokenClaims``.
///
/// Required: `iss`, `sub`, `username`, `exp`, `iat`, `jti`, `sid`, `roles`, `scope`;
/// optional: `aud` (a string or an array of strings) and `nbf`. Times must be JSON
/// integers. A missing required claim, a wrong JSON type (`null` included), or a
/// duplicate member is malformed. Unknown claims are syntax-checked and skipped.
enum ClaimsParser {
    /// What the verifier requires of `iss` and `aud`, with their UTF-8 ready to compare.
    struct Expectation: Sendable {
        let issuer: String
        let issuerUTF8: [UInt8]
        let audience: String?
        let audienceUTF8: [UInt8]

        init(issuer: String, audience: String?) {
            self.issuer = issuer
            self.issuerUTF8 = Array(issuer.utf8)
            self.audience = audience
            self.audienceUTF8 = Array((audience ?? "").utf8)
        }
    }

    struct Result {
        var claims: AccessTokenClaims
        /// Whether `iss` is exactly the configured issuer (then `claims.issuer` is it).
        var hasIssuer: Bool
        /// Whether `aud` holds the configured audience (`true` when none is configured).
        var hasAudience: Bool
    }

    private enum Member: Int {
        case issuer, subject, username, audience, expiresAt, issuedAt, notBefore, tokenID, sessionID, roles, scope
    }

    /// Parses the claim set. Strings are made only for `username`, `scope`, the roles
    /// (together, as one string) and an `iss` or `aud` that does not match: Swift keeps
    /// strings of up to 15 UTF-8 bytes inline, so the common token allocates nothing.
    static func parse(_ reader: inout JSONReader, expecting expected: Expectation) throws(TokenRejection) -> Result {
        var issuer: String?
        var hasIssuer = false
        var subject: ClaimID?
        var username: String?
        var audience: String?
        var hasAudience = expected.audience == nil
        var expiresAt: Int64?
        var issuedAt: Int64?
        var notBefore: Int64?
        var tokenID: ClaimID?
        var sessionID: ClaimID?
        var roles: RoleList?
        var scope: String?

        var names = MemberNames()
        try reader.beginObject()
        var isFirst = true
        while let key = try reader.nextKey(isFirst: &isFirst) {
            guard let member = member(named: key, in: reader) else {
                guard names.insert(unknown: reader.bytes(in: key)) else { throw reader.failure }
                try reader.skipValue()
                continue
            }
            guard names.insert(known: member.rawValue) else { throw reader.failure }
            switch member {
            case .issuer: (issuer, hasIssuer) = try readIssuer(&reader, expected: expected)
            case .subject: subject = try readID(&reader)
            case .username: username = try reader.readStringValue()
            case .audience:
                (audience, hasAudience) = try readAudience(&reader, expected: expected)
            case .expiresAt: expiresAt = try reader.readInt64()
            case .issuedAt: issuedAt = try reader.readInt64()
            case .notBefore: notBefore = try reader.readInt64()
            case .tokenID: tokenID = try readID(&reader)
            case .sessionID: sessionID = try readID(&reader)
            case .roles: roles = try readRoles(&reader)
            case .scope: scope = try reader.readStringValue()
            }
        }
        try reader.expectEnd()

        guard let issuer, let subject, let username, let expiresAt, let issuedAt, let tokenID, let sessionID, let roles, let scope
        else { throw reader.failure }
        let claims = AccessTokenClaims(
            issuer: issuer,
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
        return Result(claims: claims, hasIssuer: hasIssuer, hasAudience: hasAudience)
    }

    /// `iss` and whether its bytes are the configured issuer's; a match returns the
    /// configured issuer's own `String`, so no copy is made.
    private static func readIssuer(_ reader: inout JSONReader, expected: Expectation) throws(TokenRejection) -> (String, Bool) {
        let range = try reader.readString()
        let matches = expected.issuerUTF8.withUnsafeBufferPointer { reader.bytes(in: range).hasSameBytes(as: $0) }
        return matches ? (expected.issuer, true) : (try reader.string(range), false)
    }

    private static func readID(_ reader: inout JSONReader) throws(TokenRejection) -> ClaimID {
        let range = try reader.readString()
        if let id = OpaqueID(utf8: reader.bytes(in: range)) { return .compact(id) }
        return .text(try reader.string(range))
    }

    private static func readRoles(_ reader: inout JSONReader) throws(TokenRejection) -> RoleList {
        try reader.beginArray()
        var roles = RoleList.Builder()
        var isFirst = true
        while try reader.hasNextElement(isFirst: &isFirst) {
            roles.append(try reader.readStringValue())
        }
        return roles.roleList
    }

    /// Reads `aud`; returns the audience to report and whether it holds the expected one.
    private static func readAudience(
        _ reader: inout JSONReader,
        expected: Expectation
    ) throws(TokenRejection) -> (String?, Bool) {
        guard let expectedAudience = expected.audience else {
            if reader.peek() == UInt8(ascii: "[") { return (try reader.readStringArray().first, true) }
            return (try reader.readStringValue(), true)
        }
        let isExpected = { (range: Range<Int>, reader: JSONReader) in
            expected.audienceUTF8.withUnsafeBufferPointer { reader.bytes(in: range).hasSameBytes(as: $0) }
        }
        guard reader.peek() == UInt8(ascii: "[") else {
            let range = try reader.readString()
            return isExpected(range, reader) ? (expectedAudience, true) : (try reader.string(range), false)
        }
        try reader.beginArray()
        var first: String?
        var found = false
        var isFirst = true
        while try reader.hasNextElement(isFirst: &isFirst) {
            let range = try reader.readString()
            if isExpected(range, reader) {
                found = true
            } else {
                // Still validated as UTF-8, like every other string of the claim set.
                let string = try reader.string(range)
                if first == nil { first = string }
            }
        }
        return found ? (expectedAudience, true) : (first, false)
    }

    /// The member a key names, matched on the key's bytes packed little-endian into one
    /// integer (``JSONReader/packed(_:)``) rather than compared name by name. Every member
    /// is read by the round-trip tests, so a wrong constant fails them.
    private static func member(named key: Range<Int>, in reader: JSONReader) -> Member? {
        guard key.count <= 8 else { return nil }
        switch (key.count, reader.packed(key)) {
        case (3, 0x737369): return .issuer  // "iss"
        case (3, 0x627573): return .subject  // "sub"
        case (3, 0x647561): return .audience  // "aud"
        case (3, 0x707865): return .expiresAt  // "exp"
        case (3, 0x746169): return .issuedAt  // "iat"
        case (3, 0x66626E): return .notBefore  // "nbf"
        case (3, 0x69746A): return .tokenID  // "jti"
        case (3, 0x646973): return .sessionID  // "sid"
        case (5, 0x73_656C_6F72): return .roles  // "roles"
        case (5, 0x65_706F_6373): return .scope  // "scope"
        case (8, 0x656D_616E_7265_7375): return .username  // "username"
        default: return nil
        }
    }
}
