import FuzzSupport

@testable import TesseraCore

// The hand-written JSON reader of the token path, on arbitrary bytes, through each of its users:
//   - any value (`skipValue` then `expectEnd`), the way unknown claims and header members are read;
//   - a claim set (ClaimsParser) and a JOSE header (JOSEHeader);
//   - the signer-layout fast path (SignerLayoutParser).
// Invariants: nothing it accepts is anything but UTF-8 JSON (RFC 8259 §8.1: JSON text exchanged
// between systems is UTF-8) that the reference parser (FuzzSupport's ReferenceJSON) reads too; a
// claim set it accepts holds exactly the claims the reference parser reads from it; what the fast
// path accepts, the general parser accepts with the same result; and claims written by
// TokenSigner's writer read back the same, on both paths.

private let expectations = [
    ClaimsParser.Expectation(issuer: FuzzKeys.issuer, audience: FuzzKeys.audience),
    ClaimsParser.Expectation(issuer: FuzzKeys.issuer, audience: nil),
]

@_cdecl("FuzzJSONReader_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { start, count in fuzzJSONReader(start, count) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONReader(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = fuzzInput(start, count)

    if reads(input, { (reader) throws(TokenRejection) in try reader.skipValue() }) {
        invariant(isValidUTF8(input), "read a JSON text that is not UTF-8: \(input)")
        invariant(ReferenceJSON.parse(input) != nil, "read something that is not a JSON text: \(input)")
    }

    // `alg`, `kid` and `typ` are kept as bytes, which the verifier compares with ASCII names
    // only, so bytes that are not UTF-8 there cannot pass it; everywhere else they must be refused.
    var valuesAreUTF8 = true
    if reads(
        input,
        { (reader) throws(TokenRejection) in
            let header = try JOSEHeader.parse(&reader)
            valuesAreUTF8 = [header.algorithm, header.keyID, header.type].allSatisfy { $0.map { reader.bytes(in: $0).isValidUTF8 } ?? true }
        }
    ) {
        invariant(isValidUTF8(input) || !valuesAreUTF8, "read a header that is not UTF-8: \(input)")
        invariant(!valuesAreUTF8 || ReferenceJSON.parse(input)?.isObject == true, "read a header that is not a JSON object: \(input)")
    }

    for expected in expectations {
        let general = parseClaims(input, expected)
        if let general {
            checkClaims(general.claims, againstJSON: input, expectedAudience: general.hasAudience ? expected.audience : nil)
            invariant(general.hasIssuer == (general.claims.issuer == expected.issuer), "hasIssuer is wrong")
            if let audience = expected.audience {
                let audiences = ReferenceJSON.parse(input).flatMap(audienceList) ?? []
                invariant(general.hasAudience == audiences.contains(audience), "hasAudience is wrong")
            }
            checkRoundTrip(general.claims, expected)
        }
        let fast = input.withUnsafeBufferPointer { SignerLayoutParser.parse($0, expecting: expected) }
        if let fast {
            guard let general else { fatalError("the fast path accepted what the general parser refuses: \(input)") }
            invariant(same(fast, general), "the fast path read other claims than the general parser: \(input)")
        }
    }
    return 0
}

/// Runs `read` over a mutable copy (the reader unescapes in place); whether it succeeded.
private func reads(_ input: [UInt8], _ read: (inout JSONReader) throws(TokenRejection) -> Void) -> Bool {
    var copy = input
    return copy.withUnsafeMutableBufferPointer { buffer in
        var reader = JSONReader(buffer, failure: .malformed)
        do {
            try read(&reader)
            try reader.expectEnd()
            return true
        } catch {
            return false
        }
    }
}

private func parseClaims(_ input: [UInt8], _ expected: ClaimsParser.Expectation) -> ClaimsParser.Result? {
    var copy = input
    return copy.withUnsafeMutableBufferPointer { buffer in
        var reader = JSONReader(buffer, failure: .malformedClaims)
        return try? ClaimsParser.parse(&reader, expecting: expected)
    }
}

private func same(_ a: ClaimsParser.Result, _ b: ClaimsParser.Result) -> Bool {
    a.claims == b.claims && a.hasIssuer == b.hasIssuer && a.hasAudience == b.hasAudience
}

/// The signer's JSON for these claims reads back to them, through both parsers.
private func checkRoundTrip(_ claims: AccessTokenClaims, _ expected: ClaimsParser.Expectation) {
    let written = TokenSigner.payload(of: claims)
    invariant(isValidUTF8(written), "the signer wrote JSON that is not UTF-8")
    guard let reread = parseClaims(written, expected) else {
        fatalError("the general parser refuses what the signer wrote: \(written)")
    }
    invariant(reread.claims == claims, "claims changed across write and read: \(claims) vs \(reread.claims)")
    if let fast = written.withUnsafeBufferPointer({ SignerLayoutParser.parse($0, expecting: expected) }) {
        invariant(same(fast, reread), "the fast path reads the signer's JSON differently")
    }
}
