import Foundation
import TesseraCore
import Testing

@Suite("Base64URL")
struct Base64URLTests {
    @Test func encodesWithoutPaddingUsingTheURLAlphabet() {
        #expect(Base64URL.encode([]) == "")
        #expect(Base64URL.encode([0xFB]) == "-w")
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.encode([0xFB, 0xFF, 0xBF]) == "-_-_")
        #expect(Base64URL.encode(Array("hello world".utf8)) == "aGVsbG8gd29ybGQ")
    }

    @Test func roundTripsEveryLengthAgainstFoundation() {
        var generator = SeededGenerator(seed: 1)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            let encoded = Base64URL.encode(bytes)
            #expect(encoded == expected)
            #expect(Base64URL.decode(encoded) == bytes)
            #expect(Base64URL.decode(encoded[...]) == bytes)
        }
    }

    @Test func rejectsPaddingAndCharactersOutsideTheAlphabet() {
        #expect(Base64URL.decode("aGk=") == nil)
        #expect(Base64URL.decode("aGk==") == nil)
        #expect(Base64URL.decode("a+8") == nil)
        #expect(Base64URL.decode("a/8") == nil)
        #expect(Base64URL.decode("aG k") == nil)
        #expect(Base64URL.decode("aGé") == nil)
        #expect(Base64URL.decode("aG.k") == nil)
    }

    @Test func rejectsImpossibleLengths() {
        #expect(Base64URL.decode("a") == nil)
        #expect(Base64URL.decode("aGVsb") == nil)
        #expect(Base64URL.decode("") == [])
    }

    @Test func rejectsNonCanonicalTrailingBits() {
        // "-w" is 0xFB; "-x" differs only in the 4 unused low bits.
        #expect(Base64URL.decode("-w") == [0xFB])
        #expect(Base64URL.decode("-x") == nil)
        #expect(Base64URL.decode("-z") == nil)
        // "-_8" is 0xFB 0xFF; "-_9" differs only in the 2 unused low bits.
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64URL.decode("-_9") == nil)
        #expect(Base64URL.decode("-_-") == nil)
    }
}
