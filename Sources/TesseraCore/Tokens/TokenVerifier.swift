import Crypto
import Foundation

/// Verifies access tokens: the hot path of every authenticated request.
///
/// Checks, in order: size, shape (three base64url segments, canonical encoding), the
/// header (`alg` must be the algorithm of the key its `kid` names; `typ` must be `at+jwt` or
/// `application/at+jwt`, RFC 9068 §4, so that an ID token or any other JWT signed with the same
/// key is never taken for an access token; no `crit`), the signature, and only then the claims (required members and
/// types, `exp`, `nbf`, `iss`, `aud`). It never uses Foundation's JSON decoders, works on
/// the token's UTF-8 in place and allocates only the returned claims' strings longer than
/// 15 bytes (ids are kept as ``OpaqueID``s, a matching `iss` shares the configured string),
/// plus one scratch buffer for tokens over 1 KiB; smaller ones decode on the stack.
public struct TokenVerifier: Sendable {
    private let keys: KeySet
    /// The header segment Tessera's own signer writes for each key, with the key: a token
    /// whose header is byte for byte one of these needs no header decoding or parsing.
    private let signerHeaders: [(segment: [UInt8], key: SigningKey)]
    private let expected: ClaimsParser.Expectation
    /// Seconds of clock skew tolerated on `exp` and `nbf`: a revocation must outlive the tokens
    /// it matches by as much.
    public let leeway: Int64
    private let maxTokenBytes: Int

    /// Creates a verifier.
    /// - Parameters:
    ///   - keys: the keys tokens may be signed with.
    ///   - issuer: the exact `iss` required.
    ///   - audience: when set, `aud` (a string or an array of strings) must contain it;
    ///     when `nil`, `aud` is not checked.
    ///   - leeway: seconds of clock skew tolerated on `exp` and `nbf` (≥ 0).
    ///   - maxTokenBytes: longer tokens are rejected before any other work.
    public init(keys: KeySet, issuer: String, audience: String?, leeway: Int64 = 0, maxTokenBytes: Int = 8192) {
        precondition(leeway >= 0, "leeway must not be negative")
        self.keys = keys
        self.signerHeaders = keys.keys.map { (TokenSigner.encodedHeader(for: $0), $0) }
        self.expected = ClaimsParser.Expectation(issuer: issuer, audience: audience)
        self.leeway = leeway
        self.maxTokenBytes = maxTokenBytes
    }

    /// Verifies a compact JWS access token and returns its claims.
    ///
    /// - Parameter now: the current time as NumericDate seconds.
    /// - Throws: ``TokenRejection``; nothing else, and it never traps, whatever the input.
    public func verify(_ token: String, now: Int64) throws(TokenRejection) -> AccessTokenClaims {
        let utf8 = token.utf8.span
        guard utf8.count <= maxTokenBytes else { throw .tooLarge }
        return try utf8.withUnsafeBufferPointer { (bytes) throws(TokenRejection) in try verify(bytes: bytes, now: now) }
    }

    /// ``verify(_:now:)`` for a `Substring`, such as the token part of an `Authorization` header.
    public func verify(_ token: Substring, now: Int64) throws(TokenRejection) -> AccessTokenClaims {
        let utf8 = token.utf8.span
        guard utf8.count <= maxTokenBytes else { throw .tooLarge }
        return try utf8.withUnsafeBufferPointer { (bytes) throws(TokenRejection) in try verify(bytes: bytes, now: now) }
    }

    /// ``verify(_:now:)`` for any other string type.
    public func verify(_ token: some StringProtocol, now: Int64) throws(TokenRejection) -> AccessTokenClaims {
        guard token.utf8.count <= maxTokenBytes else { throw .tooLarge }
        return try verify(String(token), now: now)
    }

    // Typed throws all the way down, and these layers inlined: a `Result` or another call
    // layer would move the ~190-byte claims once more each, which measurably costs here.
    @inline(__always)
    private func verify(bytes token: UnsafeBufferPointer<UInt8>, now: Int64) throws(TokenRejection) -> AccessTokenClaims {
        // Decoded segments are shorter than the token, so one token-sized scratch buffer
        // holds all three. Up to 1 KiB, `withUnsafeTemporaryAllocation` is always on the
        // stack; above, it would probe the thread's stack bounds on every call.
        let capacity = max(token.count, 1)
        guard capacity > 1024 else {
            return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { (scratch) throws(TokenRejection) in
                try verifyThrowing(token, now: now, scratch: scratch)
            }
        }
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
        defer { scratch.deallocate() }
        return try verifyThrowing(token, now: now, scratch: scratch)
    }

    @inline(__always)
    private func verifyThrowing(
        _ token: UnsafeBufferPointer<UInt8>,
        now: Int64,
        scratch: UnsafeMutableBufferPointer<UInt8>
    ) throws(TokenRejection) -> AccessTokenClaims {
        guard token.count <= maxTokenBytes else { throw .tooLarge }
        let (firstDot, secondDot) = try Self.dots(in: token)
        let headerSegment = UnsafeBufferPointer(rebasing: token[..<firstDot])
        let payloadSegment = UnsafeBufferPointer(rebasing: token[(firstDot + 1)..<secondDot])
        let signatureSegment = UnsafeBufferPointer(rebasing: token[(secondDot + 1)...])

        var scratchUsed = 0
        let key: SigningKey
        if let signerKey = signerKey(forHeader: headerSegment) {
            key = signerKey
        } else {
            let headerBytes = try Self.decode(headerSegment, into: scratch, at: &scratchUsed)
            var headerReader = JSONReader(headerBytes, failure: .malformed)
            let header = try JOSEHeader.parse(&headerReader)
            key = try selectKey(for: header, reader: headerReader)
        }

        let signature = try Self.decode(signatureSegment, into: scratch, at: &scratchUsed)
        let signingInput = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: token[..<secondDot]))
        guard Self.isValid(UnsafeRawBufferPointer(signature), for: signingInput, key: key) else {
            throw .badSignature
        }

        let payloadBytes = try Self.decode(payloadSegment, into: scratch, at: &scratchUsed)
        let parsed: ClaimsParser.Result
        if let signerLayout = SignerLayoutParser.parse(UnsafeBufferPointer(payloadBytes), expecting: expected) {
            parsed = signerLayout
        } else {
            var claimsReader = JSONReader(payloadBytes, failure: .malformedClaims)
            parsed = try ClaimsParser.parse(&claimsReader, expecting: expected)
        }
        try check(parsed, now: now)
        return parsed.claims
    }

    /// The key whose signer header `segment` is, if it is one: such a header names the key,
    /// its algorithm and `at+jwt`, so every header check passes.
    private func signerKey(forHeader segment: UnsafeBufferPointer<UInt8>) -> SigningKey? {
        for (known, key) in signerHeaders where known.withUnsafeBufferPointer({ $0.hasSameBytes(as: segment) }) {
            return key
        }
        return nil
    }

    /// The key the header names, checked against the header's `alg`; then `typ`, which must be there.
    private func selectKey(for header: JOSEHeader, reader: JSONReader) throws(TokenRejection) -> SigningKey {
        guard let algorithm = header.algorithm else { throw .malformed }
        let key: SigningKey
        if let keyID = header.keyID {
            guard let named = keys.key(withIDBytes: reader.bytes(in: keyID)) else { throw .unknownKey }
            key = named
        } else {
            guard keys.keys.count == 1 else { throw .unknownKey }
            key = keys.keys[0]
        }
        let expected: StaticString = key.algorithm == .hs256 ? "HS256" : "EdDSA"
        guard reader.range(algorithm, equals: expected) else { throw .unsupportedAlgorithm }
        // Required, not only checked when present: a JWT without `typ` is not an access token.
        guard let type = header.type, Self.isAccessTokenType(reader.bytes(in: type)) else { throw .wrongType }
        return key
    }

    private func check(_ parsed: ClaimsParser.Result, now: Int64) throws(TokenRejection) {
        let claims = parsed.claims
        let (earliestValidExpiry, _) = now.subtractingReportingOverflow(leeway)
        guard claims.expiresAt > earliestValidExpiry else { throw .expired }
        if let notBefore = claims.notBefore {
            let (latestValidStart, overflow) = now.addingReportingOverflow(leeway)
            guard overflow || notBefore <= latestValidStart else { throw .notYetValid }
        }
        guard parsed.hasIssuer else { throw .wrongIssuer }
        guard parsed.hasAudience else { throw .wrongAudience }
    }

    private static func isValid(_ signature: UnsafeRawBufferPointer, for signingInput: UnsafeRawBufferPointer, key: SigningKey) -> Bool {
        switch key.material {
        case .hs256(let hmac):
            return hmac.isValid(signature, for: signingInput)
        case .ed25519(_, let publicKey), .ed25519PublicKey(let publicKey):
            return signature.count == 64 && publicKey.isValidSignature(signature, for: signingInput)
        }
    }

    /// The offsets of the two dots; anything but exactly two, or an empty header or
    /// payload, is malformed. An empty signature gets as far as the header checks, so that
    /// `alg: none` is reported as such.
    private static func dots(in token: UnsafeBufferPointer<UInt8>) throws(TokenRejection) -> (Int, Int) {
        let dot = UInt8(ascii: ".")
        guard let first = token.firstIndex(of: dot, from: 0), let second = token.firstIndex(of: dot, from: first + 1),
            token.firstIndex(of: dot, from: second + 1) == nil, first > 0, second > first + 1
        else { throw .malformed }
        return (first, second)
    }

    /// Decodes a segment into the scratch buffer after `used` bytes, advancing `used`.
    private static func decode(
        _ segment: UnsafeBufferPointer<UInt8>,
        into scratch: UnsafeMutableBufferPointer<UInt8>,
        at used: inout Int
    ) throws(TokenRejection) -> UnsafeMutableBufferPointer<UInt8> {
        guard let count = Base64URL.decodedCount(ofEncodedCount: segment.count), used + count <= scratch.count,
            let base = scratch.baseAddress, count == 0 || Base64URL.decode(segment, into: base + used) != nil
        else { throw .malformed }
        defer { used += count }
        return UnsafeMutableBufferPointer(rebasing: scratch[used..<(used + count)])
    }

    /// `at+jwt` or `application/at+jwt`, ASCII case-insensitively (RFC 9068 §2.1).
    private static func isAccessTokenType(_ type: UnsafeBufferPointer<UInt8>) -> Bool {
        let short: StaticString = "at+jwt"
        let long: StaticString = "application/at+jwt"
        return equalsIgnoringASCIICase(type, short) || equalsIgnoringASCIICase(type, long)
    }

    private static func equalsIgnoringASCIICase(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for index in 0..<bytes.count {
            let byte = bytes[index]
            let lowercased = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
            guard lowercased == expected[index] else { return false }
        }
        return true
    }
}
