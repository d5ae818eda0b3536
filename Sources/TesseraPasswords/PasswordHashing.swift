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

    /// Why `hash` costs more to verify than the server allows, or nil when it does not (or when
    /// its cost cannot be read: such a hash fails in libxcrypt before any hashing work).
    ///
    /// The server chooses its own cost: new hashes are yescrypt at libxcrypt's default
    /// (`$y$j9T$`, N = 4096, r = 32), and an imported hash may cost no more than the server would
    /// choose for its scheme, so that no stored hash can tie up a hashing thread for longer than
    /// an ordinary login:
    /// - yescrypt: N and r no larger than the server's own (and no further parameters);
    /// - bcrypt: cost 12 at most, what Python's bcrypt and passlib write by default (the stores
    ///   `tessera user import` takes); each step above doubles the work, up to 2^31 rounds;
    /// - sha512-crypt: 5000 rounds at most, libxcrypt's and glibc's default;
    /// - scrypt: N·r·p no larger than libxcrypt's default (`$7$CU..../....`, N = 16384, r = 32, p = 1).
    ///
    /// The sentence names the scheme and the numbers, never the hash.
    public static func costAboveCap(_ hash: String) -> String? {
        guard let scheme = Scheme(hash: hash) else { return nil }
        let bytes = Array(hash.utf8)
        switch scheme {
        case .bcrypt:
            // $2b$NN$
            guard bytes.count > 7, bytes[6] == UInt8(ascii: "$"), let cost = decimal(bytes[4..<6]) else { return nil }
            return cost > CostCap.bcrypt ? "bcrypt cost \(cost) is above the cap of \(CostCap.bcrypt)" : nil
        case .sha512crypt:
            // $6$rounds=N$ (without it, 5000)
            let prefix = Array("$6$rounds=".utf8)
            guard bytes.starts(with: prefix) else { return nil }
            let digits = bytes[prefix.count...].prefix { $0 != UInt8(ascii: "$") }
            guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), !digits.isEmpty else { return nil }
            guard digits.count <= 9, let rounds = decimal(digits), rounds <= CostCap.sha512Rounds else {
                return "sha512-crypt rounds \(String(decoding: digits.prefix(12), as: UTF8.self)) are above the cap of \(CostCap.sha512Rounds)"
            }
            return nil
        case .yescrypt:
            // $y$<flavor><N log2 - 1><r - 1>$, one character each at the server's own cost.
            let parameters = Array(bytes[3...].prefix { $0 != UInt8(ascii: "$") })
            let values = parameters.compactMap(atoi64)
            guard parameters.count >= 3, values.count == parameters.count else { return nil }
            guard parameters.count == 3, values.allSatisfy({ $0 < 48 }) else {
                return "yescrypt parameters other than a small N and r are above the cap (N ≤ \(CostCap.yescryptN), r ≤ \(CostCap.yescryptR))"
            }
            let logN = values[1] + 1
            let r = values[2] + 1
            guard 1 << logN <= CostCap.yescryptN, r <= CostCap.yescryptR else {
                return "yescrypt N = 2^\(logN), r = \(r) is above the cap (N ≤ \(CostCap.yescryptN), r ≤ \(CostCap.yescryptR))"
            }
            return nil
        case .scrypt:
            // $7$<N log2><r: 5 chars><p: 5 chars>, 6 bits a character, least significant first.
            guard bytes.count >= 14, let logN = atoi64(bytes[3]), let r = base64Number(bytes[4..<9]), let p = base64Number(bytes[9..<14]) else {
                return nil
            }
            let work = logN < 40 ? (1 << logN).multipliedReportingOverflow(by: r * p) : (partialValue: 0, overflow: true)
            guard work.overflow || work.partialValue > CostCap.scryptWork else { return nil }
            return "scrypt N = 2^\(logN), r = \(r), p = \(p) is above the cap (N·r·p ≤ \(CostCap.scryptWork))"
        }
    }

    /// The most each scheme may cost (see ``costAboveCap(_:)``).
    public enum CostCap {
        public static let bcrypt = 12
        public static let sha512Rounds = 5000
        public static let yescryptN = 4096
        public static let yescryptR = 32
        public static let scryptWork = 16384 * 32
    }

    private static func decimal(_ digits: some Collection<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// The crypt base64 alphabet `./0-9A-Za-z`.
    private static func atoi64(_ character: UInt8) -> Int? {
        switch character {
        case UInt8(ascii: "."): 0
        case UInt8(ascii: "/"): 1
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(character - UInt8(ascii: "0")) + 2
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(character - UInt8(ascii: "A")) + 12
        case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(character - UInt8(ascii: "a")) + 38
        default: nil
        }
    }

    private static func base64Number(_ characters: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for (index, character) in characters.enumerated() {
            guard let sextet = atoi64(character) else { return nil }
            value |= sextet << (6 * index)
        }
        return value
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
