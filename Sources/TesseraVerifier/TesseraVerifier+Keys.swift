import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization
import TesseraCore

/// A token verifier for the keys known at one time; replaced as a whole when the JWKS changes.
final class KeyedVerifier: Sendable {
    let verifier: TokenVerifier

    init(keys: [SigningKey], configuration: TesseraVerifierConfiguration) {
        verifier = TokenVerifier(
            keys: KeySet(keys),
            issuer: configuration.issuer,
            audience: configuration.audience,
            leeway: configuration.leeway
        )
    }

    /// A verifier whose one key no token names, for the node state of a verifier that has no key yet.
    static func placeholder(configuration: TesseraVerifierConfiguration) -> TokenVerifier {
        let secret = Array(OpaqueToken.makeRefreshToken().utf8)
        return KeyedVerifier(keys: [try! SigningKey.hs256(secret: secret)], configuration: configuration).verifier
    }
}

/// The keys of a verifier and what fetching the JWKS needs.
struct KeyState: Sendable {
    var current: KeyedVerifier?
    var http: HTTPClient?
    var lastFetch: ContinuousClock.Instant?
    var fetch: Task<Void, Never>?
}

extension TesseraVerifier {
    /// Fetches the JWKS until it answers once, then returns (later fetches are on demand).
    func loadKeys() async {
        var pause = 100
        while !Task.isCancelled {
            if await fetchKeys() { return }
            try? await Task.sleep(for: .milliseconds(pause))
            pause = min(pause * 2, 2000)
        }
    }

    /// Fetches the JWKS again unless one was fetched within `jwksRefetchInterval`; concurrent
    /// callers share one fetch.
    func refetchKeys() async {
        let task = keys.withLock { state -> Task<Void, Never>? in
            if let fetch = state.fetch { return fetch }
            if let last = state.lastFetch, ContinuousClock.now - last < configuration.jwksRefetchInterval { return nil }
            let fetch = Task { _ = await self.fetchKeys() }
            state.fetch = fetch
            return fetch
        }
        await task?.value
    }

    /// One fetch of the JWKS; the keys it publishes (Ed25519 only) join the HS256 ones.
    @discardableResult
    private func fetchKeys() async -> Bool {
        defer { keys.withLock { $0.fetch = nil } }
        guard let url = configuration.jwksURL, let http = keys.withLock({ $0.http }) else { return false }
        keys.withLock { $0.lastFetch = .now }
        do {
            let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else {
                logger.warning("the JWKS answered \(response.status.code)", metadata: ["tessera.jwks.url": "\(url)"])
                return false
            }
            let published = try JSONDecoder().decode(JWKS.self, from: body).keys.compactMap { key -> SigningKey? in
                guard key.kty == "OKP", key.crv == "Ed25519", key.alg ?? "EdDSA" == "EdDSA", let x = key.x, let kid = key.kid else { return nil }
                return try? SigningKey.ed25519(publicKeyX: x, kid: kid)
            }
            let all = hs256Keys + published
            guard !all.isEmpty else { return true }
            let verifier = KeyedVerifier(keys: all, configuration: configuration)
            keys.withLock { $0.current = verifier }
            logger.debug("JWKS loaded", metadata: ["tessera.jwks.keys": "\(published.count)"])
            return true
        } catch {
            logger.warning("cannot fetch the JWKS", metadata: ["tessera.jwks.url": "\(url)", "tessera.error": "\(error)"])
            return false
        }
    }
}

/// `/.well-known/jwks.json`: only the members an Ed25519 key needs.
private struct JWKS: Decodable {
    struct Key: Decodable {
        var kty: String
        var crv: String?
        var alg: String?
        var kid: String?
        var x: String?
    }

    var keys: [Key]
}
