/// The `Authorization: Bearer` rule (RFC 6750 §2.1), read byte by byte: one place for the server's
/// authenticator, the revocation feed and the API-node middleware.
public enum BearerCredentials {
    /// The longest `Authorization` header accepted.
    public static let maxHeaderBytes = 8 * 1024

    /// What an `Authorization` header holds.
    public enum Reading: Equatable, Sendable {
        /// No credentials: no header, another scheme, or `Bearer` alone.
        case none
        /// A header over ``BearerCredentials/maxHeaderBytes``.
        case tooLarge
        /// The token after `Bearer` and its spaces.
        case token(Substring)
    }

    /// Reads a header value: the scheme in any ASCII case, then the token after its spaces.
    public static func read(_ header: String?) -> Reading {
        guard let header else { return .none }
        guard header.utf8.count <= maxHeaderBytes else { return .tooLarge }
        guard header.utf8.count > 7, hasBearerScheme(header.utf8) else { return .none }
        // Cut by bytes, as the scheme was matched: by Characters, a mark that combines with the
        // space would be cut off with it, and `Bearer \u{301}TOKEN` would read as `TOKEN`.
        let token = Substring(header.utf8.dropFirst(7).drop(while: { $0 == UInt8(ascii: " ") }))
        return token.isEmpty ? .none : .token(token)
    }

    /// Whether the header starts with `Bearer ` in any ASCII case (RFC 6750: the scheme is
    /// case-insensitive), compared byte by byte so no lowercased copy is made.
    private static func hasBearerScheme(_ header: String.UTF8View) -> Bool {
        let scheme: StaticString = "bearer "
        var index = header.startIndex
        for offset in 0..<scheme.utf8CodeUnitCount {
            guard index < header.endIndex else { return false }
            let byte = header[index]
            let lowercased = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
            guard lowercased == scheme.utf8Start[offset] else { return false }
            index = header.index(after: index)
        }
        return true
    }
}
