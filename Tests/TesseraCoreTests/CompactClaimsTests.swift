import Foundation
import TesseraCore
import Testing

/// Ids in `OpaqueID` form and roles kept joined: the representations that keep the token
/// check free of allocations must give back exactly what went in, and must never make two
/// different ids or role lists look alike.
@Suite struct CompactClaimsTests {
    @Test func everyIdTesseraMakesConvertsAndRoundTrips() {
        for _ in 0..<200 {
            let text = OpaqueToken.makeID()
            let id = OpaqueID(text)
            #expect(id != nil)
            #expect(id?.description == text)
        }
    }

    @Test func onlyCanonical22CharacterBase64URLConverts() {
        let canonical = "AAAAAAAAAAAAAAAAAAAAAA"
        #expect(OpaqueID(canonical) != nil)
        // The last character carries 2 bits; "B" sets one of the 4 unused ones.
        #expect(OpaqueID("AAAAAAAAAAAAAAAAAAAAAB") == nil)
        #expect(OpaqueID("AAAAAAAAAAAAAAAAAAAAA") == nil)
        #expect(OpaqueID("AAAAAAAAAAAAAAAAAAAAAAA") == nil)
        #expect(OpaqueID("AAAAAAAAAAAAAAAAAAAA+A") == nil)
        #expect(OpaqueID("AAAAAAAAAAAAAAAAAAAA=A") == nil)
        #expect(OpaqueID("AAAAAAAAAAAAAAAAAAAAAQ") != OpaqueID("AAAAAAAAAAAAAAAAAAAAAg"))
    }

    @Test(arguments: [
        OpaqueToken.makeID(),
        "user-1",
        "AAAAAAAAAAAAAAAAAAAAAB",  // 22 characters, not canonical: kept as text
        "caf\u{E9}-id",
        "",
    ])
    func idClaimsRoundTripThroughSigningAndVerifying(id: String) throws {
        var claims = TokenTestSupport.claims()
        claims.subject = id
        claims.tokenID = id
        claims.sessionID = id
        #expect(claims.subject == id && claims.tokenID == id && claims.sessionID == id)
        let key = TokenTestSupport.hs256Key()
        let token = TokenSigner(keys: KeySet([key])).sign(claims)
        let verified = try TokenTestSupport.verifier(keys: [key]).verify(token, now: TokenTestSupport.now)
        #expect(verified == claims)
        #expect(verified.subject == id && verified.tokenID == id && verified.sessionID == id)
    }

    @Test(arguments: [
        [String](),
        ["user"],
        ["admin", "user"],
        ["a", "role,with,commas"],
        ["", "user"],
        ["admin", "introspect", "reports:read", "user"],
    ])
    func rolesRoundTripAndAnswerMembership(roles: [String]) throws {
        var claims = TokenTestSupport.claims()
        claims.roles = roles
        #expect(claims.roles == roles)
        let key = TokenTestSupport.hs256Key()
        let verified = try TokenTestSupport.verifier(keys: [key]).verify(TokenSigner(keys: KeySet([key])).sign(claims), now: TokenTestSupport.now)
        #expect(verified.roles == roles)
        #expect(verified == claims)
        #expect(verified.commaSeparatedRoles == roles.joined(separator: ","))
        for role in roles {
            #expect(verified.hasRole(role))
        }
        #expect(!verified.hasRole("adm"))
        #expect(!verified.hasRole("admin,user"))
        #expect(verified.hasRole("") == roles.contains(""))
    }

    @Test func aRevokedSessionOrTokenMatchesByIdWhicheverFormItHas() throws {
        let view = RevocationView()
        let compactSession = OpaqueToken.makeID()
        let compactToken = OpaqueToken.makeID()
        let compactUser = OpaqueToken.makeID()
        let textSession = "AAAAAAAAAAAAAAAAAAAAAB"
        func event(_ id: UInt64, _ payload: some EventPayload) throws -> RecordedEvent {
            let new = try NewEvent(payload)
            return RecordedEvent(id: EventID(milliseconds: id, sequence: 0), type: new.type, version: new.version, data: new.data)
        }
        view.apply(try event(1, SessionRevoked(userID: "u", sessionID: compactSession, reason: .logout, accessExpiresAt: 2_000_000)))
        view.apply(try event(2, SessionRevoked(userID: "u", sessionID: textSession, reason: .logout, accessExpiresAt: 2_000_000)))
        view.apply(try event(3, AccessTokenRevoked(userID: "u", tokenID: compactToken, sessionID: "x", expiresAt: 2_000_000)))
        view.apply(try event(4, UserLoggedOutEverywhere(userID: compactUser, notBefore: 1500, expiresAt: 2_400_000)))
        #expect(view.count == 4)

        let key = TokenTestSupport.hs256Key()
        let signer = TokenSigner(keys: KeySet([key]))
        let verifier = TokenTestSupport.verifier(keys: [key])
        func verdict(
            session: String = OpaqueToken.makeID(),
            token: String = OpaqueToken.makeID(),
            user: String = OpaqueToken.makeID(),
            issuedAt: Int64 = 1000
        ) throws -> RevocationView.Verdict? {
            var claims = TokenTestSupport.claims(expiresAt: TokenTestSupport.now + 900)
            (claims.sessionID, claims.tokenID, claims.subject, claims.issuedAt) = (session, token, user, issuedAt)
            return view.verdict(for: try verifier.verify(signer.sign(claims), now: TokenTestSupport.now))
        }
        #expect(try verdict(session: compactSession) == .sessionRevoked)
        #expect(try verdict(session: textSession) == .sessionRevoked)
        #expect(try verdict(session: "AAAAAAAAAAAAAAAAAAAAAA") == nil, "the canonical id next to the revoked text one")
        #expect(try verdict(token: compactToken) == .tokenRevoked)
        #expect(try verdict(user: compactUser, issuedAt: 1499) == .issuedBeforeForcedLogout)
        #expect(try verdict(user: compactUser, issuedAt: 1500) == nil)
        #expect(try verdict() == nil)

        view.prune(now: 2_000_000)
        #expect(view.count == 1, "expired sessions and the token go; the forced logout lives until 1500 s + TTL")
        view.prune(now: (1500 + 900) * 1000)
        #expect(view.count == 0)
    }
}
