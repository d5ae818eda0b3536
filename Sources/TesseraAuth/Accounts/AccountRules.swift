/// The input rules of accounts: usernames, passwords, emails and roles.
public enum AccountRules {
    /// Usernames are 1–64 characters of `[A-Za-z0-9._@-]`.
    public static func validateUsername(_ username: String) throws(AuthError) {
        let bytes = username.utf8
        guard (1...64).contains(bytes.count), bytes.allSatisfy(isUsernameByte) else {
            throw AuthError(.invalidInput, "username must be 1-64 characters of A-Z a-z 0-9 . _ @ -")
        }
    }

    /// Passwords are 8–1024 bytes of UTF-8 (taken as given, never normalized).
    public static func validatePassword(_ password: [UInt8], field: String = "password") throws(AuthError) {
        guard (8...1024).contains(password.count) else {
            throw AuthError(.invalidInput, "\(field) must be 8-1024 bytes")
        }
        guard !password.contains(0) else {
            throw AuthError(.invalidInput, "\(field) must not contain NUL characters")
        }
    }

    /// An email holds exactly one `@` with text on both sides and is at most 254 bytes.
    public static func validateEmail(_ email: String) throws(AuthError) {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
            !email.unicodeScalars.contains(where: { $0.value < 0x21 || $0 == "\u{7F}" })
        else {
            throw AuthError(.invalidInput, "email must hold one @ and be at most 254 bytes")
        }
    }

    /// Roles are 1–64 characters of `[A-Za-z0-9._:-]`, at most 64 of them; duplicates are dropped.
    public static func normalizedRoles(_ roles: [String]) throws(AuthError) -> [String] {
        guard roles.count <= 64 else { throw AuthError(.invalidInput, "at most 64 roles") }
        var seen = Set<String>()
        var result: [String] = []
        for role in roles {
            guard (1...64).contains(role.utf8.count),
                role.utf8.allSatisfy({ isUsernameByte($0) && $0 != UInt8(ascii: "@") || $0 == UInt8(ascii: ":") })
            else {
                throw AuthError(.invalidInput, "roles must be 1-64 characters of A-Z a-z 0-9 . _ : -")
            }
            if seen.insert(role).inserted { result.append(role) }
        }
        return result
    }

    private static func isUsernameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "@"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
