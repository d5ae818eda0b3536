import ArgumentParser
import Logging
import TesseraCore

/// Where `serve`'s signing keys come from, and how they become a ``KeySet``.
///
/// The key set starts with the keys of the selected algorithm (the first of them signs) and
/// goes on with the keys of the other algorithm that were given too: they verify only, so a
/// deployment can move from HS256 to EdDSA (or back) without logging everyone out. Each key
/// verifies only with its own algorithm, whatever a token's header claims.
struct SigningKeySources: Sendable {
    /// One HS256 secret: a file, or the value of `TESSERA_HS256_SECRET`.
    enum Secret: Sendable {
        case file(String)
        case environment([UInt8])
    }

    var algorithm: JWTAlgorithm
    var hs256Secrets: [Secret]
    var ed25519KeyFiles: [String]

    static let secretVariable = "TESSERA_HS256_SECRET"

    /// The sources after flags and environment: `--hs256-secret-file` flags, else
    /// `TESSERA_HS256_SECRET_FILE` (comma-separated) or `TESSERA_HS256_SECRET`; likewise
    /// `--ed25519-key-file` or `TESSERA_ED25519_KEY_FILE`.
    /// - Throws: `ValidationError` when the selected algorithm has no key, or when both
    ///   `TESSERA_HS256_SECRET` and `TESSERA_HS256_SECRET_FILE` are set.
    init(algorithm: JWTAlgorithm, hs256SecretFiles: [String], ed25519KeyFiles: [String], environment: EnvironmentDefaults) throws {
        self.algorithm = algorithm
        if !hs256SecretFiles.isEmpty {
            hs256Secrets = hs256SecretFiles.map(Secret.file)
        } else {
            let files = environment.resolveList([], flag: "hs256-secret-file")
            let secret = environment.bytes(ofVariable: Self.secretVariable)
            if secret != nil, !files.isEmpty {
                throw ValidationError("set TESSERA_HS256_SECRET or TESSERA_HS256_SECRET_FILE, not both")
            }
            hs256Secrets = secret.map { [.environment($0)] } ?? files.map(Secret.file)
        }
        self.ed25519KeyFiles = environment.resolveList(ed25519KeyFiles, flag: "ed25519-key-file")
        switch algorithm {
        case .hs256 where hs256Secrets.isEmpty:
            throw ValidationError("HS256 needs a secret: --hs256-secret-file FILE or TESSERA_HS256_SECRET (at least 32 bytes)")
        case .eddsa where self.ed25519KeyFiles.isEmpty:
            throw ValidationError("EdDSA needs --ed25519-key-file FILE (created when missing)")
        default:
            break
        }
    }

    /// Loads every key, creating the first Ed25519 key file when EdDSA is selected and it is missing.
    ///
    /// Reads files with blocking calls: run it before the server starts.
    /// - Throws: `ValidationError` for key material that is not a valid key (e.g. a secret
    ///   under 32 bytes), `CommandFailure` when a file cannot be read or created.
    func makeKeySet(logger: Logger) throws -> KeySet {
        let hs256 = try hs256Secrets.map(loadSecret)
        let ed25519 = try ed25519KeyFiles.enumerated().map { index, path in
            try loadEd25519(path, mayCreate: algorithm == .eddsa && index == 0, logger: logger)
        }
        var seen = Set<String>()
        let keys = (algorithm == .hs256 ? hs256 + ed25519 : ed25519 + hs256).filter { seen.insert($0.kid).inserted }
        return KeySet(keys)
    }

    private func loadSecret(_ secret: Secret) throws -> SigningKey {
        var bytes: [UInt8]
        let source: String
        switch secret {
        case .environment(let value):
            (bytes, source) = (value, Self.secretVariable)
        case .file(let path):
            source = "--hs256-secret-file \(path)"
            do {
                bytes = try LocalFile.contents(of: path)
            } catch {
                throw CommandFailure("cannot read \(source): \(error)")
            }
            if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        }
        do {
            return try SigningKey.hs256(secret: bytes)
        } catch {
            throw ValidationError("\(source): \(error.message)")
        }
    }

    private func loadEd25519(_ path: String, mayCreate: Bool, logger: Logger) throws -> SigningKey {
        let source = "--ed25519-key-file \(path)"
        let contents: [UInt8]
        do {
            contents = try LocalFile.contents(of: path)
        } catch let error where error.isMissing && mayCreate {
            return try createEd25519(path, logger: logger)
        } catch {
            throw CommandFailure("cannot read \(source): \(error)")
        }
        do {
            return try SigningKey.loadEd25519(fileContents: contents)
        } catch {
            throw ValidationError("\(source): \(error.message)")
        }
    }

    private func createEd25519(_ path: String, logger: Logger) throws -> SigningKey {
        let (key, pem) = SigningKey.generateEd25519()
        do {
            try LocalFile.createPrivate(path, contents: Array(pem.utf8))
        } catch let error where error.alreadyExists {
            // Another node created it first: use theirs, so both sign with the same key.
            return try loadEd25519(path, mayCreate: false, logger: logger)
        } catch {
            throw CommandFailure("cannot create --ed25519-key-file \(path): \(error)")
        }
        logger.warning(
            "created a new Ed25519 signing key: fine for development; in production give every node the same provisioned key",
            metadata: ["tessera.key.file": "\(path)", "tessera.key.kid": "\(key.kid)"]
        )
        return key
    }
}
