/// An `Authorization` header value and the bearer token every reader of it must find (nil for
/// none): the cases shared by the tests of `TesseraCore.BearerCredentials` and of the two
/// places that read the header through it, the server's authenticator and the API-node
/// middleware (RFC 6750 §2.1: `"Bearer" 1*SP b64token`, the scheme in any ASCII case).
public struct BearerHeaderCase: Sendable, CustomStringConvertible {
    public let header: String
    public let token: String?

    public var description: String { "\(header.debugDescription) → \(token?.debugDescription ?? "none")" }

    /// The token is everything after the scheme and its spaces; another scheme, the scheme
    /// alone or glued to the token, is no token.
    ///
    /// And the fuzzing finding (fuzz/corpus/FuzzAuthorization/finding-*): the scheme was matched
    /// on bytes but cut off by Characters, and a mark that combines with the space after
    /// `Bearer` belongs to that space's Character, so it was cut off with it: `Bearer
    /// \u{301}TOKEN` was read as `TOKEN`, and a header that is not a bearer credential
    /// authenticated. The token is the bytes after the scheme and its spaces, so the mark stays.
    public static let all: [BearerHeaderCase] =
        [
            .init(header: "Bearer abc.def.ghi", token: "abc.def.ghi"),
            .init(header: "bEaReR    abc", token: "abc"),
            .init(header: "Bearer", token: nil),
            .init(header: "Bearer ", token: nil),
            .init(header: "Basic YWxpY2U6c2VjcmV0", token: nil),
            .init(header: "Bearerabc", token: nil),
        ]
        + ["\u{301}", "\u{200D}", "\u{0903}", "\u{FE0F}"].flatMap { mark in
            [.init(header: "Bearer \(mark)abc", token: "\(mark)abc"), .init(header: "Bearer  \(mark)abc", token: "\(mark)abc")]
        }
}
