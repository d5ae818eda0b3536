// The HS256 hot path in a loop, for a profiler: what the TokenVerify benchmark times, without
// the benchmark harness around it.
//   swift build --scratch-path .build-bench -c release --product VerifyProfile
//   objcopy --strip-debug .build-bench/release/VerifyProfile /tmp/vp   # valgrind 3.19 cannot read Swift's DWARF
//   valgrind --tool=callgrind --toggle-collect='*hotPath*' /tmp/vp 20000 && callgrind_annotate callgrind.out.*
//   perf record -g .build-bench/release/VerifyProfile 2000000 && perf report
import Foundation
import TesseraCore

let iterations = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000
let now = Int64(Date().timeIntervalSince1970)
let issuer = "http://localhost:8080"
let keys = KeySet([try SigningKey.hs256(secret: (0..<48).map { _ in UInt8.random(in: 0...255) })])
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
let view = RevocationView(accessTokenTTLSeconds: 900)
var sessions: [String: Int64] = [:]
for _ in 0..<100_000 { sessions[OpaqueToken.makeID()] = (now + 900) * 1000 }
view.load(sessions: sessions, tokens: [:], notBefore: [:], position: .zero)

/// The measured loop, a function of its own so that `valgrind --tool=callgrind
/// --toggle-collect='*hotPath*'` counts the instructions of exactly this.
@inline(never)
func hotPath(iterations: Int) throws -> Int {
    var revoked = 0
    for _ in 0..<iterations {
        let verified = try verifier.verify(token, now: now)
        if view.verdict(for: verified) != nil { revoked += 1 }
    }
    return revoked
}

let start = ContinuousClock.now
let revoked = try hotPath(iterations: iterations)
let elapsed = ContinuousClock.now - start
print("\(iterations) verifies, \(elapsed / iterations) each, \(revoked) revoked")
