import CFuzzDriver
import Crypto
import Foundation
import TesseraCore

/// Runs libFuzzer on `testOneInput` with the process's arguments: the body of each target's
/// `<Target>_main`, which SwiftPM makes the executable's `main`.
public func runFuzzer(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv, testOneInput)
}

/// Stops the run with a message when an invariant does not hold: libFuzzer reports the trap as
/// a crash and saves the input, so a broken invariant is a finding like any crash.
public func invariant(
    _ condition: @autoclosure () -> Bool,
    _ message: @autoclosure () -> String,
    file: StaticString = #fileID,
    line: UInt = #line
) {
    if !condition() {
        fatalError("invariant broken: \(message())", file: file, line: line)
    }
}

/// The fuzzer's bytes as an array.
public func fuzzInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: start, count: count))
}

/// Whether the bytes are well-formed UTF-8, by the standard library's own validating decoder.
public func isValidUTF8(_ bytes: some Collection<UInt8>) -> Bool {
    String(validating: bytes, as: UTF8.self) != nil
}

/// Keys, issuer and clock the token targets share, written here independently of the code
/// under test (swift-crypto directly).
public enum FuzzKeys {
    public static let issuer = "https://auth.example.test"
    public static let audience = "tessera-api"
    public static let now: Int64 = 1_900_000_100
    public static let hs256Secret = Array("0123456789abcdef0123456789abcdef".utf8)
    public static let ed25519Seed = [UInt8](repeating: 7, count: 32)

    public static let hs256 = try! SigningKey.hs256(secret: hs256Secret)
    public static let ed25519 = try! SigningKey.ed25519(privateKeySeed: ed25519Seed)
    public static let ed25519Private = try! Curve25519.Signing.PrivateKey(rawRepresentation: ed25519Seed)

    /// The signature of `signingInput`, made with swift-crypto directly.
    public static func hs256Signature(_ signingInput: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: signingInput, using: SymmetricKey(data: hs256Secret)))
    }

    public static func ed25519Signature(_ signingInput: [UInt8]) -> [UInt8] {
        Array(try! ed25519Private.signature(for: signingInput))
    }

    /// Whether `token` carries a valid signature by one of the two keys over its first two
    /// segments, checked with swift-crypto and Foundation's base64 decoder: an oracle that
    /// shares no code with the verifier.
    public static func isSignedByAKey(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let signature = base64URLDecodeIndependently(parts[2]) else { return false }
        let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        if HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signingInput, using: SymmetricKey(data: hs256Secret)) {
            return true
        }
        return ed25519Private.publicKey.isValidSignature(signature, for: signingInput)
    }
}

/// Unpadded base64url through Foundation's decoder (no shared code with `Base64URL`); nil for
/// anything Foundation refuses, for padding and for characters outside the url alphabet.
public func base64URLDecodeIndependently(_ text: some StringProtocol) -> [UInt8]? {
    guard
        text.utf8.allSatisfy({ byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F
        })
    else { return nil }
    var standard = String(text).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while standard.utf8.count % 4 != 0 { standard += "=" }
    return Data(base64Encoded: standard).map(Array.init)
}

/// Unpadded base64url through Foundation's encoder.
public func base64URLEncodeIndependently(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

/// Foundation's JSON parser as the oracle: the value of a JSON text, nil when Foundation
/// refuses it.
public func oracleJSON(_ bytes: [UInt8]) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
}

/// Checks a claim set the code under test accepted against the reference parser's reading of
/// the same JSON text: every claim the parser reports is the one in the text.
public func checkClaims(_ claims: AccessTokenClaims, againstJSON json: [UInt8], expectedAudience: String?) {
    invariant(isValidUTF8(json), "accepted a claim set that is not UTF-8: \(json)")
    guard let object = ReferenceJSON.parse(json), object.isObject else {
        fatalError("accepted a claim set that is not a JSON object: \(json)")
    }
    invariant(object["iss"]?.string == claims.issuer, "iss differs")
    invariant(object["sub"]?.string == claims.subject, "sub differs")
    invariant(object["username"]?.string == claims.username, "username differs")
    invariant(object["jti"]?.string == claims.tokenID, "jti differs")
    invariant(object["sid"]?.string == claims.sessionID, "sid differs")
    invariant(object["scope"]?.string == claims.scope, "scope differs")
    invariant(object["roles"]?.strings == claims.roles, "roles differ")
    invariant(object["exp"]?.int64 == claims.expiresAt, "exp differs")
    invariant(object["iat"]?.int64 == claims.issuedAt, "iat differs")
    invariant(object["nbf"]?.int64 == claims.notBefore, "nbf differs")
    let audiences = audienceList(object)
    invariant(audiences?.first == claims.audience || audiences?.contains(expectedAudience ?? "\u{0}") == true, "aud differs")
    if let expectedAudience {
        invariant(audiences?.contains(expectedAudience) == true, "accepted a token for another audience")
    }
}

/// `aud` as a list: a string is a list of one.
public func audienceList(_ object: ReferenceJSON) -> [String]? {
    object["aud"]?.string.map { [$0] } ?? object["aud"]?.strings
}

/// Runs async work to completion on a detached task and waits for it: libFuzzer calls the
/// target on its own thread, never on a Swift concurrency executor, so blocking here is safe.
public func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = ResultBox<T>()
    let semaphore = DispatchSemaphore(value: 0)
    Task.detached {
        box.value = await body()
        semaphore.signal()
    }
    semaphore.wait()
    return box.value!
}

private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
