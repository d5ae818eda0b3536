/// A JWS signature algorithm Tessera signs and verifies with.
///
/// The raw value is the JOSE `alg` header value. `none` is deliberately absent.
public enum JWTAlgorithm: String, Sendable {
    /// HMAC with SHA-256 over a shared secret.
    case hs256 = "HS256"
    /// Ed25519 signatures (RFC 8037); the public key is published in the JWKS.
    case eddsa = "EdDSA"
}
