import RedisClient
import TesseraCore
import Testing

@testable import TesseraStore

/// Replies from Redis are decoded without trapping and without echoing what they hold.
@Suite struct RepliesTests {
    @Test func aSortedSetScoreNeverTrapsWhateverRedisPrints() {
        #expect(EventStore.integerScore("1732363200000") == 1_732_363_200_000)
        #expect(EventStore.integerScore("1.5") == 1)
        #expect(EventStore.integerScore("-1.5") == -2)
        #expect(EventStore.integerScore("inf") == .max, "a revocation that never ends stays")
        #expect(EventStore.integerScore("-inf") == .min)
        #expect(EventStore.integerScore("1e300") == .max)
        #expect(EventStore.integerScore("-1e300") == .min)
        #expect(EventStore.integerScore("9223372036854775808") == .max)
        #expect(EventStore.integerScore("nan") == nil)
        #expect(EventStore.integerScore("not a number") == nil)
        let scores = EventStore.scores(
            .array([.bulkString(Array("a".utf8)), .bulkString(Array("inf".utf8)), .bulkString(Array("b".utf8)), .bulkString(Array("nan".utf8))])
        )
        #expect(scores == ["a": .max])
    }

    @Test func aReplyOfUnexpectedShapeIsDescribedWithoutItsValues() throws {
        let hash = "$y$j9T$leaked-salt$leaked-hash"
        let malformed: [RedisValue] = [
            .array([.bulkString(Array("ok".utf8)), .bulkString(Array(hash.utf8)), .array([])]),
            .array([.bulkString(Array("ok".utf8)), .array([.array([.bulkString(Array(hash.utf8))])]), .array([])]),
            .bulkString(Array(hash.utf8)),
        ]
        for reply in malformed {
            do {
                _ = try ScriptReply(decoding: reply, script: .login)
                Issue.record("a malformed reply was accepted")
            } catch {
                #expect(!error.message.contains("leaked"), "\(error.message)")
            }
        }
        // A rejection the command never sends is described by its code, not its detail.
        let unexpected = ScriptReply.rejected(code: "odd", detail: hash)
        #expect(!unexpected.summary.contains("leaked"))
        do {
            _ = try EventStore.events(in: .array([.array([.bulkString(Array(hash.utf8))])]))
            Issue.record("a malformed stream entry was accepted")
        } catch {
            #expect(!error.message.contains("leaked"))
        }
    }
}
