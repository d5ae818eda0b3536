import Crypto
import FuzzSupport
import TesseraCore

// The token verifier on untrusted tokens. The first byte picks the mode:
//   0  the rest is a compact token, verified as it is (shape, base64url, header, signature);
//   1  the rest is `HEADER-JSON \n PAYLOAD-JSON`, signed here with the HS256 key, so the
//      header and claims readers run on arbitrary JSON under a valid signature;
//   2  the same, signed with the Ed25519 key;
//   3  the rest is PAYLOAD-JSON under the exact header Tessera's signer writes (HS256), the
//      verifier's fast path for its own tokens.
// Invariants on every accepted token: it was signed by one of the keys (checked with
// swift-crypto and Foundation's base64, not the verifier's code); its header and claim set are
// UTF-8 JSON objects that the reference parser (FuzzSupport) reads too, with the same claims; `alg` is the key's, `typ`
// (when present) is `at+jwt`; it is not expired and not before `nbf`; and the claims, signed
// again with TokenSigner, verify to the same claims.

private let keys = KeySet([FuzzKeys.hs256, FuzzKeys.ed25519])
private let verifier = TokenVerifier(keys: keys, issuer: FuzzKeys.issuer, audience: FuzzKeys.audience)
private let anyAudienceVerifier = TokenVerifier(keys: keys, issuer: FuzzKeys.issuer, audience: nil)
private let signer = TokenSigner(keys: KeySet([FuzzKeys.hs256]))
private let signerHeaderSegment: String = {
    let sample = AccessTokenClaims(
        issuer: FuzzKeys.issuer,
        subject: "s",
        username: "u",
        audience: nil,
        expiresAt: 1,
        issuedAt: 0,
        notBefore: nil,
        tokenID: "j",
        sessionID: "s",
        roles: [],
        scope: ""
    )
    return String(signer.sign(sample).split(separator: ".")[0])
}()

@_cdecl("FuzzTokenVerifier_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { start, count in fuzzTokenVerifier(start, count) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenVerifier(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = fuzzInput(start, count)
    guard let mode = input.first else { return 0 }
    let rest = Array(input.dropFirst())
    switch mode % 4 {
    case 0:
        let token = String(decoding: rest, as: UTF8.self)
        check(token: token)
        // The Substring entry point, as the bearer authenticator calls it.
        let padded = "Bearer " + token
        check(token: padded.dropFirst(7))
    case 1, 2:
        let newline = rest.firstIndex(of: 0x0A) ?? rest.endIndex
        let header = Array(rest[..<newline])
        let payload = Array(rest[min(newline + 1, rest.endIndex)...])
        check(token: sign(header: base64URLEncodeIndependently(header), payload: payload, ed25519: mode % 4 == 2))
    default:
        check(token: sign(header: signerHeaderSegment, payload: rest, ed25519: false))
    }
    return 0
}

private func sign(header: String, payload: [UInt8], ed25519: Bool) -> String {
    let signingInput = header + "." + base64URLEncodeIndependently(payload)
    let bytes = Array(signingInput.utf8)
    let signature = ed25519 ? FuzzKeys.ed25519Signature(bytes) : FuzzKeys.hs256Signature(bytes)
    return signingInput + "." + base64URLEncodeIndependently(signature)
}

private func check(token: some StringProtocol) {
    let text = String(token)
    for (checker, audience) in [(verifier, FuzzKeys.audience), (anyAudienceVerifier, nil)] {
        let claims: AccessTokenClaims
        do {
            claims = try checker.verify(token, now: FuzzKeys.now)
        } catch {
            continue
        }
        checkAccepted(text, claims: claims, audience: audience)
    }
}

private func checkAccepted(_ token: String, claims: AccessTokenClaims, audience: String?) {
    invariant(FuzzKeys.isSignedByAKey(token), "accepted a token no key signed: \(token)")
    let segments = token.split(separator: ".", omittingEmptySubsequences: false)
    guard segments.count == 3, let header = base64URLDecodeIndependently(segments[0]),
        let payload = base64URLDecodeIndependently(segments[1])
    else { fatalError("accepted a token that is not three base64url segments: \(token)") }
    // Exactly one spelling of every byte string: what was accepted re-encodes to itself.
    invariant(base64URLEncodeIndependently(header) == segments[0], "accepted a non-canonical header encoding")
    invariant(base64URLEncodeIndependently(payload) == segments[1], "accepted a non-canonical payload encoding")

    invariant(isValidUTF8(header), "accepted a header that is not UTF-8: \(header)")
    guard let headerObject = ReferenceJSON.parse(header), headerObject.isObject else {
        fatalError("accepted a header that is not a JSON object: \(header)")
    }
    let algorithm = headerObject["alg"]?.string
    invariant(algorithm == "HS256" || algorithm == "EdDSA", "accepted alg \(String(describing: algorithm))")
    if let type = headerObject["typ"] {
        let lowercased = type.string?.lowercased()
        invariant(lowercased == "at+jwt" || lowercased == "application/at+jwt", "accepted typ \(type)")
    }
    invariant(headerObject["crit"] == nil, "accepted crit")

    checkClaims(claims, againstJSON: payload, expectedAudience: audience)
    invariant(claims.issuer == FuzzKeys.issuer, "accepted another issuer: \(claims.issuer)")
    invariant(claims.expiresAt > FuzzKeys.now, "accepted an expired token")
    invariant((claims.notBefore ?? .min) <= FuzzKeys.now, "accepted a token before its nbf")

    // Round trip: the same claims, signed by Tessera's signer, verify to the same claims.
    let resigned = signer.sign(claims)
    let again = audience == nil ? anyAudienceVerifier : verifier
    do {
        let reverified = try again.verify(resigned, now: FuzzKeys.now)
        invariant(reverified == claims, "claims changed across sign and verify: \(claims) vs \(reverified)")
    } catch {
        fatalError("claims accepted once are refused after signing them again: \(error)")
    }
}
