import TesseraCore
import TesseraStore
import Testing

/// What the revocation feed is made of: the journal of what the follower read, and the SETs.
struct RevocationFeedTests {
    @Test func everyKindOfRevocationSurvivesTheWireFormat() {
        let entries: [RevocationView.Entry] = [
            .session(id: OpaqueToken.makeID(), until: 1_900_000_000_000),
            .token(id: "not-an-opaque-id", until: 1_900_000_000_001),
            .notBefore(userID: OpaqueToken.makeID(), seconds: 1_800_000_000, until: 1_900_000_000_002),
        ]
        for entry in entries {
            let set = RevocationFeed.securityEvent(for: entry, issuer: "http://tessera.test", jti: "1-0", issuedAt: 1_800_000_001)
            #expect(set.events.keys.first == RevocationFeed.sessionRevoked)
            #expect(RevocationFeed.entry(in: set) == entry)
        }
    }

    @Test func theJournalServesWhatFollowsAPositionAndExpiresWhatItDropped() {
        let state = NodeState(
            verifier: TokenVerifier(keys: KeySet([try! .hs256(secret: Array(repeating: 7, count: 32))]), issuer: "i", audience: nil),
            maxRevocationLag: .seconds(2),
            journalCapacity: 4
        )
        state.load(
            RevocationSnapshot(position: EventID(milliseconds: 10, sequence: 0), sessions: [:], tokens: [:], notBefore: [:], notBeforeUntil: [:])
        )
        let events = (11...20).map { millisecond in
            RecordedEvent(
                id: EventID(milliseconds: UInt64(millisecond), sequence: 0),
                type: .accessTokenRevoked,
                version: 1,
                data: Array(#"{"expires_at":99999999999999,"jti":"j\#(millisecond)","sid":"s","user_id":"u"}"#.utf8)
            )
        }
        state.applyFromLog(Array(events[0..<3]))
        guard case .records(let first, let position) = state.journal.read(after: EventID(milliseconds: 11, sequence: 0)) else {
            Issue.record("expired too early")
            return
        }
        #expect(first.map(\.id.milliseconds) == [12, 13])
        #expect(position == EventID(milliseconds: 13, sequence: 0))
        state.applyFromLog(Array(events[3...]))
        #expect(state.journal.read(after: EventID(milliseconds: 11, sequence: 0)) == .expired)
        guard case .records(let last, _) = state.journal.read(after: state.journal.start) else {
            Issue.record("the start must be readable")
            return
        }
        #expect(last.last?.id.milliseconds == 20)
        #expect(!last.isEmpty && last.count <= 4)
    }
}
