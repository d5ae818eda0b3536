/// Reads a verified token's claim set into ``AccessTokenClaims``.
///
/// Required: `iss`, `sub`, `username`, `exp`, `iat`, `jti`, `sid`, `roles`, `scope`;
/// optional: `aud` (a string or an array of strings) and `nbf`. Times must be JSON
/// integers. A missing required claim, a wrong JSON type (`null` included), or a
/// duplicate member is malformed. Unknown claims are syntax-checked and skipped.
enum ClaimsParser {
    struct Result {
        var claims: AccessTokenClaims
        /// Whether `aud` holds the configured audience (`true` when none is configured).
        var hasAudience: Bool
    }

    private enum Member: Int {
        case issuer, subject, username, audience, expiresAt, issuedAt, notBefore, tokenID, sessionID, roles, scope
    }

    static func parse(_ reader: inout JSONReader, audience expectedAudience: String?) throws(TokenRejection) -> Result {
        var issuer: String?
        var subject: String?
        var username: String?
        var audience: String?
        var hasAudience = expectedAudience == nil
        var expiresAt: Int64?
        var issuedAt: Int64?
        var notBefore: Int64?
        var tokenID: String?
        var sessionID: String?
        var roles: [String]?
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
            case .issuer: issuer = try reader.readStringValue()
            case .subject: subject = try reader.readStringValue()
            case .username: username = try reader.readStringValue()
            case .audience:
                (audience, hasAudience) = try readAudience(&reader, expected: expectedAudience)
            case .expiresAt: expiresAt = try reader.readInt64()
            case .issuedAt: issuedAt = try reader.readInt64()
            case .notBefore: notBefore = try reader.readInt64()
            case .tokenID: tokenID = try reader.readStringValue()
            case .sessionID: sessionID = try reader.readStringValue()
            case .roles: roles = try reader.readStringArray()
            case .scope: scope = try reader.readStringValue()
            }
        }
        try reader.expectEnd()

        guard let issuer, let subject, let username, let expiresAt, let issuedAt, let tokenID, let sessionID, let roles, let scope
        else { throw reader.failure }
        let claims = AccessTokenClaims(
            issuer: issuer,
            subject: subject,
            username: username,
            audience: audience,
            expiresAt: expiresAt,
            issuedAt: issuedAt,
            notBefore: notBefore,
            tokenID: tokenID,
            sessionID: sessionID,
            roles: roles,
            scope: scope
        )
        return Result(claims: claims, hasAudience: hasAudience)
    }

    /// Reads `aud`; returns the audience to report and whether it holds `expected`.
    private static func readAudience(
        _ reader: inout JSONReader,
        expected: String?
    ) throws(TokenRejection) -> (String?, Bool) {
        if reader.peek() == UInt8(ascii: "[") {
            let audiences = try reader.readStringArray()
            guard let expected else { return (audiences.first, true) }
            let hasExpected = audiences.contains { TokenVerifier.hasSameUTF8($0, expected) }
            return (hasExpected ? expected : audiences.first, hasExpected)
        }
        let audience = try reader.readStringValue()
        return (audience, expected.map { TokenVerifier.hasSameUTF8(audience, $0) } ?? true)
    }

    private static func member(named key: Range<Int>, in reader: JSONReader) -> Member? {
        switch key.count {
        case 3:
            if reader.range(key, equals: "iss") { return .issuer }
            if reader.range(key, equals: "sub") { return .subject }
            if reader.range(key, equals: "aud") { return .audience }
            if reader.range(key, equals: "exp") { return .expiresAt }
            if reader.range(key, equals: "iat") { return .issuedAt }
            if reader.range(key, equals: "nbf") { return .notBefore }
            if reader.range(key, equals: "jti") { return .tokenID }
            if reader.range(key, equals: "sid") { return .sessionID }
            return nil
        case 5:
            if reader.range(key, equals: "roles") { return .roles }
            if reader.range(key, equals: "scope") { return .scope }
            return nil
        case 8:
            return reader.range(key, equals: "username") ? .username : nil
        default:
            return nil
        }
    }
}
