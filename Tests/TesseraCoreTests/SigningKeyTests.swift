import Crypto
import Foundation
import TesseraCore
import Testing

@Suite("Signing keys")
struct SigningKeyTests {
    @Test func hs256KidIsBase64URLOfTheFirst8BytesOfTheSecretsSHA256() throws {
        let secret = Array("a-shared-secret-of-at-least-32-bytes!".utf8)
        let key = try SigningKey.hs256(secret: secret)
        let digest = Array(SHA256.hash(data: secret))
        let expected = Data(digest[0..<8]).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        #expect(key.kid == expected)
        #expect(key.algorithm == .hs256)
        #expect(key.publicJWK == nil)
    }

    @Test func hs256SecretShorterThan32BytesIsRefusedWithItsLength() {
        #expect(throws: KeyError.self) { try SigningKey.hs256(secret: Array(repeating: 1, count: 31)) }
        do {
            _ = try SigningKey.hs256(secret: Array(repeating: 1, count: 12))
            Issue.record("expected KeyError")
        } catch {
            #expect(error.code == .secretTooShort)
            #expect(error.description == "HS256 secret must be at least 32 bytes (got 12)")
        }
    }

    @Test func ed25519KidIsBase64URLOfTheFirst8BytesOfThePublicKeysSHA256() throws {
        let seed = [UInt8](repeating: 9, count: 32)
        let key = try SigningKey.ed25519(privateKeySeed: seed)
        let publicKey = try Curve25519.Signing.PrivateKey(rawRepresentation: seed).publicKey.rawRepresentation
        let expected = Base64URL.encode(SHA256.hash(data: publicKey).prefix(8))
        #expect(key.kid == expected)
        #expect(key.algorithm == .eddsa)
    }

    @Test func ed25519SeedMustBe32Bytes() {
        #expect(throws: KeyError.self) { try SigningKey.ed25519(privateKeySeed: Array(repeating: 1, count: 31)) }
    }

    @Test func publicJWKHoldsOnlyPublicFields() throws {
        let seed = [UInt8](repeating: 9, count: 32)
        let key = try SigningKey.ed25519(privateKeySeed: seed)
        let jwk = try #require(key.publicJWK)
        #expect(Set(jwk.keys) == ["kty", "crv", "alg", "use", "kid", "x"])
        #expect(jwk["kty"] == "OKP")
        #expect(jwk["crv"] == "Ed25519")
        #expect(jwk["alg"] == "EdDSA")
        #expect(jwk["use"] == "sig")
        #expect(jwk["kid"] == key.kid)
        let publicKey = try Curve25519.Signing.PrivateKey(rawRepresentation: seed).publicKey.rawRepresentation
        #expect(jwk["x"] == Base64URL.encode(publicKey))
    }

    @Test func jwksListsOnlyEd25519PublicKeys() {
        let ed = TokenTestSupport.ed25519Key()
        let keys = KeySet([TokenTestSupport.hs256Key(), ed, TokenTestSupport.ed25519Key(seedByte: 8)])
        #expect(keys.jwks.count == 2)
        #expect(keys.jwks.allSatisfy { Set($0.keys) == ["kty", "crv", "alg", "use", "kid", "x"] })
        #expect(keys.jwks.first?["kid"] == ed.kid)
        #expect(KeySet([TokenTestSupport.hs256Key()]).jwks.isEmpty)
    }

    @Test func loadsAnOpenSSLPKCS8PEM() throws {
        // `openssl genpkey -algorithm ed25519`; public key from `openssl pkey -pubout`.
        let pem = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEIMFp6SYpq3DBFfWq33Mo4kzUAKu24ljkp7q9eI1/70Cf
            -----END PRIVATE KEY-----

            """
        let key = try SigningKey.loadEd25519(fileContents: Array(pem.utf8))
        #expect(key.publicJWK?["x"] == "mTnnjC_dBGcfSPKOCj9hAWK-dyk0OadQuTq4GBVQNfk")
    }

    @Test func loadsARawSeedAndAPEMOfTheSameKeyToTheSameKid() throws {
        // Python `cryptography`'s PKCS#8 PEM of the seed 01 02 … 20.
        let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g\n-----END PRIVATE KEY-----\n"
        let fromPEM = try SigningKey.loadEd25519(fileContents: Array(pem.utf8))
        let fromSeed = try SigningKey.loadEd25519(fileContents: Array(1...32))
        #expect(fromPEM.kid == "ZbYGc9btiEs")
        #expect(fromSeed.kid == "ZbYGc9btiEs")
        #expect(fromPEM.publicJWK?["x"] == "ebVWLo_mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ")
    }

    @Test func refusesKeyFilesThatAreNeitherSeedNorEd25519PEM() {
        let rsaLike = "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n"
        for contents in [Array(repeating: UInt8(1), count: 31), Array(rsaLike.utf8), Array("not a key".utf8), []] {
            #expect(throws: KeyError.self) { try SigningKey.loadEd25519(fileContents: contents) }
        }
    }

    @Test func generatedKeyPEMLoadsBackToTheSameKey() throws {
        let (key, pem) = SigningKey.generateEd25519()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let loaded = try SigningKey.loadEd25519(fileContents: Array(pem.utf8))
        #expect(loaded.kid == key.kid)
        #expect(loaded.publicJWK == key.publicJWK)
    }
}
