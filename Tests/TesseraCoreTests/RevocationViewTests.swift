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

    /// Pruning does its O(entries) filtering with the lock free: token checks and revocations
    /// go on meanwhile (a revocation made then is kept), and the lock is held only to open the
    /// change set and to swap the filtered maps in.
    @Test func pruneFiltersWithTheLockFreeAndKeepsWhatIsRevokedMeanwhile() throws {
        let view = RevocationView()
        let count = 20_000
        var sessions: [String: Int64] = [:]
        for index in 0..<count { sessions["s\(index)"] = index.isMultiple(of: 2) ? 10_000 : 90_000 }
        view.load(
            sessions: sessions,
            tokens: ["t-old": 10_000, "t-live": 90_000],
            notBefore: ["u-old": 5, "u-live": 6],
            notBeforeUntil: ["u-old": 10_000, "u-live": 90_000],
            position: EventID(milliseconds: 7, sequence: 0)
        )
        var ranWhileFiltering = false
        view.prune(now: 50_000) {
            ranWhileFiltering = true
            #expect(view.isLockFree, "the lock is free while the maps are filtered")
            // Checks see every entry, expired ones too, until the swap.
            #expect(view.verdict(for: claims(session: "s1")) == .sessionRevoked)
            #expect(view.verdict(for: claims(session: "s0")) == .sessionRevoked)
            // Revocations made now take effect at once and survive the swap.
            view.apply(try! Self.event(8, SessionRevoked(userID: "u", sessionID: "during", reason: .logout, accessExpiresAt: 90_000)))
            view.apply(try! Self.event(9, SessionRevoked(userID: "u", sessionID: "s0", reason: .logout, accessExpiresAt: 95_000)))
            view.apply(try! Self.event(10, UserLoggedOutEverywhere(userID: "u-new", notBefore: 20, expiresAt: 90_000)))
            #expect(view.verdict(for: claims(session: "during")) == .sessionRevoked)
            #expect(view.verdict(for: claims(user: "u-new", issuedAt: 19)) == .issuedBeforeForcedLogout)
            // A second prune meanwhile returns at once.
            view.prune(now: 50_000) { Issue.record("a second prune ran while one was filtering") }
        }
        #expect(ranWhileFiltering)
        #expect(view.isLockFree)
        #expect(view.count == count / 2 + 1 + 1 + 1 + 1 + 1, "odd sessions, s0 again, during, t-live, u-live, u-new")
        for index in [1, 3, 19_999] { #expect(view.verdict(for: claims(session: "s\(index)")) == .sessionRevoked) }
        for index in [2, 4, 19_998] { #expect(view.verdict(for: claims(session: "s\(index)")) == nil) }
        #expect(view.verdict(for: claims(session: "s0")) == .sessionRevoked, "raised during the prune")
        #expect(view.verdict(for: claims(session: "during")) == .sessionRevoked)
        #expect(view.verdict(for: claims(token: "t-live")) == .tokenRevoked)
        #expect(view.verdict(for: claims(token: "t-old")) == nil)
        #expect(view.verdict(for: claims(user: "u-live", issuedAt: 5)) == .issuedBeforeForcedLogout)
        #expect(view.verdict(for: claims(user: "u-old", issuedAt: 4)) == nil)
        #expect(view.verdict(for: claims(user: "u-new", issuedAt: 19)) == .issuedBeforeForcedLogout)
        #expect(view.appliedThrough == EventID(milliseconds: 10, sequence: 0))
        #expect(Set(view.entries().map(\.until)) == [90_000, 95_000])
    }

    /// A snapshot loaded while a prune filters replaces the view; the prune's result is dropped.
    @Test func aLoadDuringAPruneWins() throws {
        let view = RevocationView()
        view.load(sessions: ["old": 10_000], tokens: [:], notBefore: [:], position: EventID(milliseconds: 1, sequence: 0))
        view.prune(now: 50_000) {
            view.load(sessions: ["loaded": 10_000], tokens: [:], notBefore: [:], position: EventID(milliseconds: 2, sequence: 0))
        }
        #expect(view.verdict(for: claims(session: "loaded")) == .sessionRevoked)
        #expect(view.count == 1)
        view.prune(now: 50_000)
        #expect(view.count == 0)
    }
}
