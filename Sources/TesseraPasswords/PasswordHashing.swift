internal import CCrypt
import Crypto
import TesseraCore

/// Blocking password hashing with libxcrypt: yescrypt for new hashes; yescrypt, bcrypt
/// (`$2b$`, `$2a$`, `$2y$`), SHA-512-crypt (`$6$`) and scrypt (`$7$`) for verification.
///
/// Each call takes milliseconds of CPU (yescrypt at the default cost ~16 ms, bcrypt
/// `$2b$12$` ~180 ms) and blocks its thread: call these from ``PasswordHasher``'s threads,
/// never from the cooperative pool or an event loop.
///
/// Passwords are bytes, unnormalized. Because `crypt` takes a C string, a password with a
/// NUL byte cannot be hashed (``hash(_:)`` throws `invalidPassword`) and never verifies.
/// bcrypt only reads the first 72 bytes of a password, as every bcrypt does. libxcrypt
/// refuses passphrases of 512 bytes or more, so for the other schemes a longer password
/// is first replaced by `"$tsr$sha512$"` + base64url(SHA-512(password)); hashes of such
/// passwords made by other software than Tessera therefore do not verify.
public enum PasswordHashing {
    /// Hashes a password with yescrypt at libxcrypt's default cost and a fresh random salt.
    /// - Throws: ``PasswordHasherError`` `invalidPassword` (a NUL byte) or `hashingFailed`.
    public static func hash(_ password: [UInt8]) throws(PasswordHasherError) -> String {
        guard !password.contains(0) else {
            throw PasswordHasherError(.invalidPassword, "password contains a NUL byte")
        }
        var setting = [UInt8](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        let settingLength = setting.withUnsafeMutableBytes { tsr_crypt_gensalt("$y$", $0.baseAddress, $0.count) }
        guard settingLength > 0 else {
            throw PasswordHasherError(.hashingFailed, "crypt_gensalt_rn failed for yescrypt")
        }
        let settingString = String(decoding: setting[..<Int(settingLength)], as: UTF8.self)
        guard let hash = crypt(password, setting: settingString, scheme: .yescrypt) else {
            throw PasswordHasherError(.hashingFailed, "crypt_rn failed for yescrypt")
        }
        return hash
    }

    /// Whether `password` matches `hash`, compared in constant time.
    ///
    /// An unsupported scheme, a malformed hash or a password with a NUL byte gives `false`;
    /// it never traps.
    public static func verify(_ password: [UInt8], against hash: String) -> Bool {
        guard let scheme = Scheme(hash: hash), !password.contains(0), let computed = crypt(password, setting: hash, scheme: scheme)
        else { return false }
        return ConstantTime.equals(computed.utf8, hash.utf8)
    }

    /// Whether `hash` should be replaced by a fresh yescrypt hash at the next successful
    /// login: `true` for anything that is not `$y$`.
    public static func needsRehash(_ hash: String) -> Bool {
        !hash.hasPrefix("$y$")
    }

    /// Whether `hash` is in a scheme ``verify(_:against:)`` supports.
    public static func isSupported(_ hash: String) -> Bool {
        Scheme(hash: hash) != nil
    }

    enum Scheme {
        case yescrypt, bcrypt, sha512crypt, scrypt

        init?(hash: String) {
            let utf8 = hash.utf8
            guard utf8.count < Int(CRYPT_OUTPUT_SIZE), utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
            if hash.hasPrefix("$y$") {
                self = .yescrypt
            } else if hash.hasPrefix("$2b$") || hash.hasPrefix("$2a$") || hash.hasPrefix("$2y$") {
                self = .bcrypt
            } else if hash.hasPrefix("$6$") {
                self = .sha512crypt
            } else if hash.hasPrefix("$7$") {
                self = .scrypt
            } else {
                return nil
            }
        }
    }

    /// crypt_rn(password, setting), or `nil` when libxcrypt fails.
    private static func crypt(_ password: [UInt8], setting: String, scheme: Scheme) -> String? {
        var phrase = passphrase(for: password, scheme: scheme)
        defer { phrase.withUnsafeMutableBytes { tsr_secure_zero($0.baseAddress, $0.count) } }
        var output = [UInt8](repeating: 0, count: Int(CRYPT_OUTPUT_SIZE))
        let length = phrase.withUnsafeBufferPointer { phrasePointer in
            output.withUnsafeMutableBytes { outputPointer in
                tsr_crypt(phrasePointer.baseAddress, setting, outputPointer.baseAddress, outputPointer.count)
            }
        }
        guard length > 0 else { return nil }
        return String(decoding: output[..<Int(length)], as: UTF8.self)
    }

    /// The NUL-terminated C string handed to crypt for `password` (which has no NUL).
    private static func passphrase(for password: [UInt8], scheme: Scheme) -> [CChar] {
        let bytes: [UInt8]
        if scheme == .bcrypt {
            bytes = Array(password.prefix(72))
        } else if password.count >= Int(CRYPT_MAX_PASSPHRASE_SIZE) {
            bytes = Array("$tsr$sha512$".utf8) + Array(Base64URL.encode(SHA512.hash(data: password)).utf8)
        } else {
            bytes = password
        }
        return bytes.map { CChar(bitPattern: $0) } + [0]
    }
}
