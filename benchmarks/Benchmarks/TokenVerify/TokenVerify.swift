import Benchmark
import Crypto
import Foundation
import JWTKit
import TesseraCore
import TesseraStore

// Every benchmark below works on the same fixture: one HS256 token and one EdDSA token for
// the same claims, so the HS256 rows differ only in who verifies the same bytes.

let benchmarks: @Sendable () -> Void = {
    let fixture = Fixture.shared
    let fast = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )
    let slow = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 100,
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 100_000
    )

    // What Authenticator does minus HTTP: verify, then the three revocation lookups.
    Benchmark("HS256 verify, hot path (Tessera + 100k-entry revocation view)", configuration: fast) { benchmark in
        for _ in benchmark.scaledIterations {
            let claims = try! fixture.hsVerifier.verify(fixture.hsToken, now: fixture.now)
            blackHole(fixture.view.verdict(for: claims))
        }
    }
    // What an API node's TesseraVerifier (and a Tessera node) does per request: the freshness
    // check on the monotonic clock, verify, then the three lookups.
    Benchmark("HS256 check, NodeState.authenticate (fresh check + verify + 100k-entry view)", configuration: fast) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! fixture.nodeState.authenticate(fixture.hsTokenSubstring, nowMilliseconds: fixture.now * 1000))
        }
    }
    Benchmark("HS256 verify, TokenVerifier only", configuration: fast) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! fixture.hsVerifier.verify(fixture.hsToken, now: fixture.now))
        }
    }
    Benchmark("HMAC-SHA256 raw, pre-keyed pads (floor)", configuration: fast) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(fixture.preKeyed.mac(fixture.hsSigningInput))
        }
    }
    Benchmark("HMAC-SHA256 raw, swift-crypto HMAC<SHA256> one-shot", configuration: fast) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(HMAC<SHA256>.authenticationCode(for: fixture.hsSigningInput, using: fixture.symmetricKey))
        }
    }
    // `JWTKeyCollection` is an actor; the benchmark closure is nonisolated, as a request handler is.
    Benchmark("HS256 verify, jwt-kit 5 into a Codable payload", configuration: slow) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! await fixture.jwtKit.verify(fixture.hsToken, as: JWTKitClaims.self))
        }
    }
    Benchmark("EdDSA verify, Tessera TokenVerifier", configuration: slow) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! fixture.edVerifier.verify(fixture.edToken, now: fixture.now))
        }
    }
    Benchmark("Ed25519 verify, raw swift-crypto (floor)", configuration: slow) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(fixture.edPublicKey.isValidSignature(fixture.edSignature, for: fixture.edSigningInput))
        }
    }
    Benchmark("HS256 sign, Tessera TokenSigner", configuration: fast) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(fixture.hsSigner.sign(fixture.claims))
        }
    }
    Benchmark("EdDSA sign, Tessera TokenSigner", configuration: slow) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(fixture.edSigner.sign(fixture.claims))
        }
    }
}

/// HMAC-SHA256 with both pads absorbed once: the cheapest MAC of the signing input.
struct PreKeyedHMAC: Sendable {
    let inner: SHA256
    let outer: SHA256

    init(secret: [UInt8]) {
        let key = secret + [UInt8](repeating: 0, count: 64 - secret.count)
        var inner = SHA256()
        inner.update(data: key.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(data: key.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
    }

    func mac(_ message: [UInt8]) -> SHA256.Digest {
        var inner = self.inner
        message.withUnsafeBytes { inner.update(bufferPointer: $0) }
        let innerDigest = inner.finalize()
        var outer = self.outer
        innerDigest.withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }
}

/// The same claims as `AccessTokenClaims`, the way a jwt-kit user would write them.
struct JWTKitClaims: JWTPayload {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var username: String
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var jti: IDClaim
    var sid: String
    var roles: [String]
    var scope: String

    func verify(using algorithm: some JWTKit.JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard iss.value == Fixture.issuer else { throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "issuer") }
    }
}

final class Fixture: Sendable {
    static let issuer = "http://localhost:8080"
    static let shared = Fixture()

    let now: Int64
    let claims: AccessTokenClaims
    let hsSigner: TokenSigner
    let hsVerifier: TokenVerifier
    let hsToken: String
    let hsSigningInput: [UInt8]
    let preKeyed: PreKeyedHMAC
    let symmetricKey: SymmetricKey
    let jwtKit: JWTKeyCollection
    let edSigner: TokenSigner
    let edVerifier: TokenVerifier
    let edToken: String
    let edSigningInput: [UInt8]
    let edSignature: [UInt8]
    let edPublicKey: Curve25519.Signing.PublicKey
    let view: RevocationView
    let nodeState: NodeState
    let hsTokenSubstring: Substring

    private init() {
        now = Int64(Date().timeIntervalSince1970)
        claims = AccessTokenClaims(
            issuer: Self.issuer,
            subject: OpaqueToken.makeID(),
            username: "alice",
            expiresAt: now + 900,
            issuedAt: now,
            tokenID: OpaqueToken.makeID(),
            sessionID: OpaqueToken.makeID(),
            roles: ["user"],
            scope: "user"
        )
        let secret = (0..<48).map { _ in UInt8.random(in: 0...255) }
        let hsKeys = KeySet([try! SigningKey.hs256(secret: secret)])
        hsSigner = TokenSigner(keys: hsKeys)
        hsVerifier = TokenVerifier(keys: hsKeys, issuer: Self.issuer, audience: nil)
        hsToken = hsSigner.sign(claims)
        hsSigningInput = Array(hsToken.utf8[..<hsToken.utf8.lastIndex(of: UInt8(ascii: "."))!])
        preKeyed = PreKeyedHMAC(secret: secret)
        symmetricKey = SymmetricKey(data: secret)
        jwtKit = JWTKeyCollection()
        let kid = JWKIdentifier(string: hsSigner.kid)
        let keys = jwtKit
        let semaphore = DispatchSemaphore(value: 0)
        Task {
            await keys.add(hmac: HMACKey(key: SymmetricKey(data: secret)), digestAlgorithm: .sha256, kid: kid)
            semaphore.signal()
        }
        semaphore.wait()

        let seed = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let edKeys = KeySet([try! SigningKey.ed25519(privateKeySeed: seed)])
        edSigner = TokenSigner(keys: edKeys)
        edVerifier = TokenVerifier(keys: edKeys, issuer: Self.issuer, audience: nil)
        edToken = edSigner.sign(claims)
        let edDot = edToken.utf8.lastIndex(of: UInt8(ascii: "."))!
        edSigningInput = Array(edToken.utf8[..<edDot])
        edSignature = Array(Data(base64URL: String(edToken[edToken.index(after: edDot)...]))!)
        edPublicKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: seed).publicKey

        // 100k revoked, unexpired entries: 60k sessions, 30k tokens, 10k forced logouts.
        view = RevocationView()
        let until = (now + 900) * 1000
        var sessions: [String: Int64] = [:]
        var tokens: [String: Int64] = [:]
        var notBefore: [String: Int64] = [:]
        for _ in 0..<60_000 { sessions[OpaqueToken.makeID()] = until }
        for _ in 0..<30_000 { tokens[OpaqueToken.makeID()] = until }
        for _ in 0..<10_000 { notBefore[OpaqueToken.makeID()] = now - 60 }
        view.load(sessions: sessions, tokens: tokens, notBefore: notBefore, position: .zero)
        nodeState = NodeState(verifier: hsVerifier, maxRevocationLag: .seconds(3600))
        nodeState.load(RevocationSnapshot(position: .zero, sessions: sessions, tokens: tokens, notBefore: notBefore, notBeforeUntil: [:]))
        hsTokenSubstring = Substring(hsToken)
        precondition(view.count == 100_000)
        precondition(view.verdict(for: try! hsVerifier.verify(hsToken, now: now)) == nil)
        precondition(
            Array(PreKeyedHMAC(secret: secret).mac(hsSigningInput))
                == Array(HMAC<SHA256>.authenticationCode(for: hsSigningInput, using: symmetricKey))
        )
    }
}

extension Data {
    init?(base64URL: String) {
        var base64 = base64URL.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
