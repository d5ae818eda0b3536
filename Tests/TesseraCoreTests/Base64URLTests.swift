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

    /// Every byte value at every position of an input is accepted exactly when it is in the
    /// alphabet, and then decodes to its 6 bits there (the decoder's lookup table is built
    /// per position of a 4-character group).
    @Test func everyByteAtEveryPositionOfALongInputIsCheckedLikeTheAlphabetSays() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var generator = SeededGenerator(seed: 2)
        let bytes = (0..<48).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let encoded = Array(Base64URL.encode(bytes).utf8)
        #expect(encoded.count == 64)
        for position in 0..<encoded.count {
            for byte in UInt8.min...UInt8.max {
                var changed = encoded
                changed[position] = byte
                let decoded = Base64URL.decode(String(decoding: changed, as: UTF8.self))
                if let value = alphabet.firstIndex(of: byte) {
                    var expected = bytes
                    // Position p holds bits 6p..6p+5 of the byte string.
                    for bit in 0..<6 {
                        let index = position * 6 + bit
                        let mask = UInt8(0x80) >> UInt8(index % 8)
                        if value & (0x20 >> bit) != 0 { expected[index / 8] |= mask } else { expected[index / 8] &= ~mask }
                    }
                    #expect(decoded == expected, "position \(position), byte \(byte)")
                } else {
                    #expect(decoded == nil, "position \(position), byte \(byte)")
                }
            }
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
