import TesseraCore
import Testing

@Suite("Opaque tokens and ids")
struct OpaqueTokenTests {
    @Test func refreshTokensAre43Base64URLCharactersOf32RandomBytes() {
        let tokens = (0..<100).map { _ in OpaqueToken.makeRefreshToken() }
        #expect(Set(tokens).count == 100)
        for token in tokens {
            #expect(token.utf8.count == 43)
            #expect(Base64URL.decode(token)?.count == 32)
        }
    }

    @Test func idsAre22Base64URLCharactersOf16RandomBytes() {
        let ids = (0..<100).map { _ in OpaqueToken.makeID() }
        #expect(Set(ids).count == 100)
        #expect(ids.allSatisfy { $0.utf8.count == 22 && Base64URL.decode($0)?.count == 16 })
    }

    @Test func sha256HexMatchesKnownAnswers() {
        #expect(OpaqueToken.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(OpaqueToken.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(OpaqueToken.sha256Hex("xabcx".dropFirst().dropLast()) == OpaqueToken.sha256Hex("abc"))
    }
}
