// The HS256 hot path in a loop, for a profiler: what the TokenVerify benchmark times, without
// the benchmark harness around it.
//   swift build --scratch-path .build-bench -c release --product VerifyProfile
//   objcopy --strip-debug .build-bench/release/VerifyProfile /tmp/vp   # valgrind 3.19 cannot read Swift's DWARF
//   valgrind --tool=callgrind --toggle-collect='*hotPath*' /tmp/vp 20000 && callgrind_annotate callgrind.out.*
//   perf record -g .build-bench/release/VerifyProfile 2000000 && perf report
import Crypto
import Foundation
import TesseraCore

let iterations = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000
let now = Int64(Date().timeIntervalSince1970)
let issuer = "http://localhost:8080"
let secret = (0..<48).map { _ in UInt8.random(in: 0...255) }
let keys = KeySet([try SigningKey.hs256(secret: secret)])
let claims = AccessTokenClaims(
    issuer: issuer,
    subject: OpaqueToken.makeID(),
    username: "alice",
    expiresAt: now + 900,
    issuedAt: now,
    tokenID: OpaqueToken.makeID(),
    sessionID: OpaqueToken.makeID(),
    roles: ["user"],
    scope: "user"
)
let token = TokenSigner(keys: keys).sign(claims)
let verifier = TokenVerifier(keys: keys, issuer: issuer, audience: nil)
let view = RevocationView()
// The TokenVerify benchmark's view: 60k revoked sessions, 30k token ids, 10k forced logouts.
var sessions: [String: Int64] = [:]
var tokens: [String: Int64] = [:]
var notBefore: [String: Int64] = [:]
for _ in 0..<60_000 { sessions[OpaqueToken.makeID()] = (now + 900) * 1000 }
for _ in 0..<30_000 { tokens[OpaqueToken.makeID()] = (now + 900) * 1000 }
for _ in 0..<10_000 { notBefore[OpaqueToken.makeID()] = now - 60 }
view.load(sessions: sessions, tokens: tokens, notBefore: notBefore, position: .zero)

/// The measured loop, a function of its own so that `valgrind --tool=callgrind
/// --toggle-collect='*hotPath*'` counts the instructions of exactly this.
@inline(never)
func hotPath(iterations: Int, token: String, verifier: TokenVerifier, view: RevocationView, now: Int64) throws -> Int {
    var revoked = 0
    for _ in 0..<iterations {
        let verified = try verifier.verify(token, now: now)
        if view.verdict(for: verified) != nil { revoked += 1 }
    }
    return revoked
}

/// The floor of the TokenVerify benchmark: HMAC-SHA256 of the signing input from pre-keyed
/// swift-crypto SHA-256 states.
@inline(never)
func floor(iterations: Int, signingInput: [UInt8], inner: SHA256, outer: SHA256) -> UInt8 {
    var sink: UInt8 = 0
    for _ in 0..<iterations {
        var innerCopy = inner
        signingInput.withUnsafeBytes { innerCopy.update(bufferPointer: $0) }
        let innerDigest = innerCopy.finalize()
        var outerCopy = outer
        innerDigest.withUnsafeBytes { outerCopy.update(bufferPointer: $0) }
        sink ^= outerCopy.finalize().withUnsafeBytes { $0[0] }
    }
    return sink
}

let pads = secret + [UInt8](repeating: 0, count: 64 - secret.count)
var inner = SHA256()
inner.update(data: pads.map { $0 ^ 0x36 })
var outer = SHA256()
outer.update(data: pads.map { $0 ^ 0x5C })
let signingInput = Array(token.utf8[..<token.utf8.lastIndex(of: UInt8(ascii: "."))!])

// Alternate the two a few times, so that both see the same machine.
var best = (hot: Duration.seconds(1000), floor: Duration.seconds(1000))
var revoked = 0
for _ in 0..<3 {
    var start = ContinuousClock.now
    revoked += try hotPath(iterations: iterations, token: token, verifier: verifier, view: view, now: now)
    best.hot = min(best.hot, (ContinuousClock.now - start) / iterations)
    start = ContinuousClock.now
    _ = floor(iterations: iterations, signingInput: signingInput, inner: inner, outer: outer)
    best.floor = min(best.floor, (ContinuousClock.now - start) / iterations)
}
let ratio = Double(best.hot.components.attoseconds) / Double(best.floor.components.attoseconds)
print(
    "best of 3 × \(iterations): hot path \(best.hot), pre-keyed HMAC floor \(best.floor), "
        + "ratio \(String(format: "%.2f", ratio)); \(revoked) revoked"
)
