import Foundation
import TesseraCore
import Testing

@Suite struct RevocationViewTests {
    static func event(_ id: UInt64, _ payload: some EventPayload) throws -> RecordedEvent {
        let new = try NewEvent(payload)
        return RecordedEvent(id: EventID(milliseconds: id, sequence: 0), type: new.type, version: new.version, data: new.data)
    }

    func claims(user: String = "u", session: String = "s", token: String = "t", issuedAt: Int64 = 1000) -> AccessTokenClaims {
        AccessTokenClaims(
            issuer: "i",
            subject: user,
            username: "n",
            expiresAt: issuedAt + 900,
            issuedAt: issuedAt,
            tokenID: token,
            sessionID: session,
            roles: [],
            scope: ""
        )
    }

    @Test func eachKindOfRevocationMatchesItsTokens() throws {
        let view = RevocationView()
        view.apply(try Self.event(1, SessionRevoked(userID: "u1", sessionID: "s1", reason: .logout, accessExpiresAt: 2_000_000)))
        view.apply(try Self.event(2, AccessTokenRevoked(userID: "u2", tokenID: "t2", sessionID: "s2", expiresAt: 2_000_000)))
        view.apply(try Self.event(3, UserLoggedOutEverywhere(userID: "u3", notBefore: 1500, expiresAt: 2_400_000)))
        #expect(view.verdict(for: claims(session: "s1")) == .sessionRevoked)
        #expect(view.verdict(for: claims(token: "t2")) == .tokenRevoked)
        #expect(view.verdict(for: claims(user: "u3", issuedAt: 1499)) == .issuedBeforeForcedLogout)
        #expect(view.verdict(for: claims(user: "u3", issuedAt: 1500)) == nil, "a login in the same second as the forced logout works")
        #expect(view.verdict(for: claims()) == nil)
        #expect(view.appliedThrough == EventID(milliseconds: 3, sequence: 0))
    }

    @Test func entriesArePrunedOnceEveryTokenTheyCouldMatchHasExpired() throws {
        let view = RevocationView()
        view.apply(try Self.event(1, SessionRevoked(userID: "u", sessionID: "old", reason: .logout, accessExpiresAt: 10_000)))
        view.apply(try Self.event(2, SessionRevoked(userID: "u", sessionID: "new", reason: .logout, accessExpiresAt: 50_000)))
        view.apply(try Self.event(3, AccessTokenRevoked(userID: "u", tokenID: "t", sessionID: "x", expiresAt: 20_000)))
        // not_before 10 s; the last token issued to the user before it expires at 910 000 ms.
        view.apply(try Self.event(4, UserLoggedOutEverywhere(userID: "u", notBefore: 10, expiresAt: 910_000)))
        #expect(view.count == 4)
        view.prune(now: 30_000)
        #expect(view.count == 2)
        #expect(view.verdict(for: claims(session: "old")) == nil)
        #expect(view.verdict(for: claims(session: "new")) == .sessionRevoked)
        view.prune(now: 909_999)
        #expect(view.verdict(for: claims(user: "u", issuedAt: 9)) == .issuedBeforeForcedLogout)
        view.prune(now: 910_000)
        #expect(view.count == 0)
    }

    @Test func aNotBeforeWithoutAnExpiryIsKeptForAYear() throws {
        let view = RevocationView()
        view.apply(try Self.event(1, UserLoggedOutEverywhere(userID: "u", notBefore: 10, expiresAt: nil)))
        view.prune(now: 10_000 + RevocationView.legacyNotBeforeLifetimeMilliseconds - 1)
        #expect(view.verdict(for: claims(user: "u", issuedAt: 9)) == .issuedBeforeForcedLogout)
        view.prune(now: 10_000 + RevocationView.legacyNotBeforeLifetimeMilliseconds)
        #expect(view.count == 0)
    }
}
