import TesseraCore
import TesseraPasswords
import Testing

@Suite("Password hashing")
struct PasswordHashingTests {
    let password = Array("correct horse battery staple".utf8)

    @Test func yescryptHashVerifiesItsPasswordOnly() throws {
        let hash = try PasswordHashing.hash(password)
        #expect(hash.hasPrefix("$y$"))
        #expect(PasswordHashing.verify(password, against: hash))
        #expect(!PasswordHashing.verify(Array("correct horse battery stapler".utf8), against: hash))
        #expect(!PasswordHashing.needsRehash(hash))
    }

    @Test func eachHashHasItsOwnSalt() throws {
        #expect(try PasswordHashing.hash(password) != PasswordHashing.hash(password))
    }

    /// Known answer: Python `bcrypt` 5.0 `hashpw(b"secret-password", gensalt(12))`, as a
    /// FastAPI/passlib user store holds it.
    @Test func verifiesAPythonBcryptHash() {
        let hash = "$2b$12$rjc.p7WjwvFbDbiyxLu25uh53e1pUwLb9qarFtpgS2mNpGXZ.mzn."
        #expect(PasswordHashing.verify(Array("secret-password".utf8), against: hash))
        #expect(!PasswordHashing.verify(Array("secret-passwore".utf8), against: hash))
        #expect(PasswordHashing.needsRehash(hash))
    }

    /// Known answer: `openssl passwd -6 -salt tesserasalt secret-password`.
    @Test func verifiesASHA512CryptHash() {
        let hash = "$6$tesserasalt$D.FAfgEGEh/r14oOBEoztCtWUseSB./3cGs7H1/cmUqZlc2HWe..W732oHwlTjqASm8o0GB0bCpu0WJ22jFcH."
        #expect(PasswordHashing.verify(Array("secret-password".utf8), against: hash))
        #expect(!PasswordHashing.verify(Array("secret-Password".utf8), against: hash))
        #expect(PasswordHashing.needsRehash(hash))
    }

    @Test(arguments: [
        "", "garbage", "ab01234567890", "$1$salt$hash", "$5$abc$sCOGUciM.GdmYMCUvmUcgu03oRH87O0clF96.9mwWGB",
        "$y$", "$y$j9T$", "$2b$12$short", "$2b$99$rjc.p7WjwvFbDbiyxLu25uh53e1pUwLb9qarFtpgS2mNpGXZ.mzn.",
        "$6$tesserasalt$D.FAfgEGEh\u{0}/r14", "*0", String(repeating: "$y$j9T$", count: 100),
    ])
    func malformedOrUnsupportedHashNeverVerifies(hash: String) {
        #expect(!PasswordHashing.verify(Array("secret-password".utf8), against: hash))
    }

    @Test func passwordWithANULByteIsRefused() throws {
        let hash = try PasswordHashing.hash(password)
        #expect(!PasswordHashing.verify(password + [0], against: hash))
        #expect(throws: PasswordHasherError.self) { try PasswordHashing.hash([0x61, 0, 0x62]) }
    }

    @Test func passwordsLongerThanLibxcryptsLimitHashAndVerify() throws {
        let long = [UInt8](repeating: 0x61, count: 1024)
        let hash = try PasswordHashing.hash(long)
        #expect(PasswordHashing.verify(long, against: hash))
        #expect(!PasswordHashing.verify(Array(long.dropLast()), against: hash))
        #expect(!PasswordHashing.verify(long + [0x61], against: hash))
    }

    @Test func onlyYescryptNeedsNoRehash() {
        #expect(!PasswordHashing.needsRehash("$y$j9T$abc$def"))
        for hash in ["$2b$12$x", "$2a$10$x", "$6$x$y", "$7$x", "", "garbage"] {
            #expect(PasswordHashing.needsRehash(hash))
        }
    }
}
