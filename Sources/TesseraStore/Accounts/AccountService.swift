public import Logging
public import TesseraCore

/// Creates users: registration, admin creation, import of existing hashes, the admin bootstrap.
///
/// Validates input by API.md's rules, hashes new passwords on the bounded hasher, and appends
/// `UserRegistered`/`UserImported` through `register.lua`, which keeps names unique.
public struct AccountService: Sendable {
    public let store: EventStore
    public let hasher: PasswordHasher
    private let logger: Logger

    /// Creates the service.
    public init(store: EventStore, hasher: PasswordHasher, logger: Logger) {
        self.store = store
        self.hasher = hasher
        self.logger = logger
    }

    /// Registers a user with a new password (hashed with yescrypt).
    /// - Throws: `AccountError` `.invalidInput`, `.usernameTaken`, `.overloaded` or `.storeFailure`.
    public func register(username: String, password: [UInt8], email: String?, roles: [String]) async throws(AccountError) -> UserRecord {
        try AccountRules.validateUsername(username)
        try AccountRules.validatePassword(password)
        if let email { try AccountRules.validateEmail(email) }
        let roles = try AccountRules.normalizedRoles(roles)
        if try await existing(username) != nil { throw Self.taken }
        let hash: String
        do {
            hash = try await hasher.hash(password)
        } catch {
            if error.code == .overloaded { throw AccountError(.overloaded, "the server is busy hashing passwords; retry shortly") }
            throw AccountError(.invalidInput, "the password cannot be hashed")
        }
        let userID = OpaqueToken.makeID()
        let payload = UserRegistered(userID: userID, username: username, email: email, passwordHash: hash, roles: roles)
        return try await append(payload, id: userID)
    }

    /// Imports a user with an existing crypt(3) hash (bcrypt `$2b$`, yescrypt, sha512-crypt, scrypt).
    /// - Throws: `AccountError` `.invalidInput`, `.unsupportedHash`, `.usernameTaken` or `.storeFailure`.
    public func importUser(
        username: String,
        passwordHash: String,
        email: String?,
        roles: [String],
        disabled: Bool
    ) async throws(AccountError) -> UserRecord {
        try AccountRules.validateUsername(username)
        if let email { try AccountRules.validateEmail(email) }
        let roles = try AccountRules.normalizedRoles(roles)
        guard PasswordHashing.isSupported(passwordHash) else {
            throw AccountError(.unsupportedHash, "hashed_password is not a supported crypt hash ($y$, $2b$, $2a$, $2y$, $6$, $7$)")
        }
        let userID = OpaqueToken.makeID()
        let payload = UserImported(
            userID: userID,
            username: username,
            email: email,
            passwordHash: passwordHash,
            roles: roles,
            disabled: disabled
        )
        return try await append(payload, id: userID)
    }

    /// Creates the admin user of `TESSERA_ADMIN_USERNAME`/`TESSERA_ADMIN_PASSWORD` unless the name exists.
    /// - Returns: true when the user was created now.
    public func ensureAdmin(username: String, password: [UInt8]) async throws(AccountError) -> Bool {
        if try await existing(username) != nil { return false }
        do {
            _ = try await register(username: username, password: password, email: nil, roles: ["admin"])
            logger.notice("created the admin user", metadata: ["tessera.user.name": "\(username)"])
            return true
        } catch let error where error.code == .usernameTaken {
            return false
        }
    }

    private static let taken = AccountError(.usernameTaken, "this username is taken")

    private func existing(_ username: String) async throws(AccountError) -> UserRecord? {
        do {
            return try await store.user(named: username)
        } catch {
            logger.error("reading a user failed", metadata: ["tessera.error": "\(error)"])
            throw AccountError(.storeFailure, "the user store is unavailable")
        }
    }

    private func append(_ payload: some EventPayload, id: String) async throws(AccountError) -> UserRecord {
        do {
            let event = try NewEvent(payload)
            guard case .appended = try await store.register(event) else { throw Self.taken }
            guard let user = try await store.user(id: id) else {
                throw AccountError(.storeFailure, "the new user is missing from the projection")
            }
            return user
        } catch let error as AccountError {
            throw error
        } catch {
            logger.error("registering a user failed", metadata: ["tessera.error": "\(error)"])
            throw AccountError(.storeFailure, "the user store is unavailable")
        }
    }
}
