import TesseraCore
import Testing

@Suite("Token verification under random input")
struct TokenFuzzTests {
    typealias Support = TokenTestSupport

    @Test func mutatedTokensAreRejectedUnlessUnchanged() {
        let key = Support.hs256Key()
        let verifier = Support.verifier(keys: [key, Support.ed25519Key()])
        var generator = SeededGenerator(seed: 0x7E55E4A)
        let originals = [
            TokenSigner(keys: KeySet([key])).sign(Support.claims()),
            TokenSigner(keys: KeySet([Support.ed25519Key()])).sign(Support.claims()),
        ]
        for original in originals {
            for _ in 0..<2000 {
                let mutated = Self.mutate(Array(original.utf8), using: &generator)
                let token = String(decoding: mutated, as: UTF8.self)
                do {
                    let claims = try verifier.verify(token, now: Support.now)
                    #expect(token == original, "accepted a changed token: \(token)")
                    #expect(claims == Support.claims())
                } catch {
                    #expect(token != original)
                }
            }
        }
    }

    /// Mutated JSON under a valid MAC: exercises the header and claims readers on garbage.
    @Test func validlySignedGarbageJSONNeverCrashesTheReader() {
        let verifier = Support.verifier(keys: [Support.hs256Key()])
        var generator = SeededGenerator(seed: 42)
        let payload = Array(Support.payloadJSON(extra: #","x":[{"y":[true,false,null,-1.5e+3,"\u00e9\ud83d\udd11\n"]}],"z":{}"#).utf8)
        let header = Array(Support.hs256Header.utf8)
        var accepted = 0
        for round in 0..<3000 {
            let mutatesHeader = round % 4 == 0
            let headerBytes = mutatesHeader ? Self.mutate(header, using: &generator, alphabet: Self.jsonAlphabet) : header
            let payloadBytes = mutatesHeader ? payload : Self.mutate(payload, using: &generator, alphabet: Self.jsonAlphabet)
            let token = Support.craftHS256(
                header: String(decoding: headerBytes, as: UTF8.self),
                payload: String(decoding: payloadBytes, as: UTF8.self)
            )
            if (try? verifier.verify(token, now: Support.now)) != nil { accepted += 1 }
        }
        // Some mutations (e.g. inside whitespace-insensitive spots or unknown claims) stay valid.
        #expect(accepted < 3000)
    }

    @Test func deeplyNestedUnknownClaimIsRejectedNotOverflowed() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let verifier = Support.verifier(keys: [Support.hs256Key()], maxTokenBytes: 1 << 20)
        let token = Support.craftHS256(header: Support.hs256Header, payload: Support.payloadJSON(extra: #","deep":\#(deep)"#))
        #expect(Support.rejection(of: token, by: verifier) == .malformed)
        let shallow = String(repeating: "[", count: 15) + String(repeating: "]", count: 15)
        let ok = Support.craftHS256(header: Support.hs256Header, payload: Support.payloadJSON(extra: #","deep":\#(shallow)"#))
        #expect(Support.rejection(of: ok, by: verifier) == nil)
    }

    static let jsonAlphabet = Array(#"{}[]:,"\u0123456789abcdefnrtl.eE+- "#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xED, 0xA0, 0x80, 0xFF]

    static let tokenAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ".utf8) + [0x00, 0xC3, 0xA9, 0xFF]

    /// One to three random edits: replace, insert, delete, or truncate.
    static func mutate(_ bytes: [UInt8], using generator: inout SeededGenerator, alphabet: [UInt8] = tokenAlphabet) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
            let byte = alphabet.randomElement(using: &generator)!
            switch Int.random(in: 0..<8, using: &generator) {
            case 0..<4 where !bytes.isEmpty: bytes[position] = byte
            case 4, 5: bytes.insert(byte, at: position)
            case 6 where !bytes.isEmpty: bytes.remove(at: position)
            case 7: bytes.removeLast(Int.random(in: 0...bytes.count, using: &generator))
            default: bytes.append(byte)
            }
        }
        return bytes
    }
}
