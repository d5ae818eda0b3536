public import Logging
public import TesseraCore
public import TesseraPasswords
public import TesseraStore

/// Users and their passwords: registration, admin creation, import of existing hashes, the
/// admin bootstrap, and a password change.
///
/// Validates input by ``AccountRules``, hashes new passwords on the bounded hasher, and appends
/// `UserRegistered`/`UserImported` through ``RegisterUser``, which keeps names unique.
public struct AccountService: Sendable {
    /// The store users are written to.
    public let store: EventStore
    /// Hashes new passwords and verifies current ones.
    public let hasher: PasswordHasher
    private let state: NodeState?
    private let isRegistrationOpen: Bool
    private let gate: PasswordCheckGate
    private let logger: Logger

    /// Creates the service. Without a node `state` (the command line), nothing is applied locally.
    public init(
        store: EventStore,
        hasher: PasswordHasher,
        state: NodeState? = nil,
        isRegistrationOpen: Bool = true,
        lockout: LockoutPolicy = .init(),
        logger: Logger
    ) {
        self.store = store
        self.hasher = hasher
        self.state = state
        self.isRegistrationOpen = isRegistrationOpen
        self.gate = PasswordCheckGate(store: store, hasher: hasher, policy: lockout, logger: logger)
        self.logger = logger
    }

    /// Open registration (`POST /users`): a user with no roles.
    /// - Throws: `AuthError` `.registrationClosed`, or what ``register(username:password:email:roles:)`` throws.
    public func signUp(username: String, password: [UInt8], email: String?) async throws(AuthError) -> UserRecord {
        guard isRegistrationOpen else { throw AuthError(.registrationClosed, "registration is closed") }
        return try await register(username: username, password: password, email: email, roles: [])
    }

    /// Registers a user with a new password (hashed with yescrypt).
    /// - Throws: `AuthError` `.invalidInput`, `.usernameTaken`, `.overloaded` or `.storeFailure`.
    public func register(username: String, password: [UInt8], email: String?, roles: [String]) async throws(AuthError) -> UserRecord {
        try AccountRules.validateUsername(username)
        try AccountRules.validatePassword(password)
        if let email { try AccountRules.validateEmail(email) }
        let roles = try AccountRules.normalizedRoles(roles)
        if try await existing(username) != nil { throw Self.taken }
        let hash: String
        do {
            hash = try await hasher.hash(password)
        } catch {
            if error.code == .overloaded { throw TokenService.hashing(error) }
            throw AuthError(.invalidInput, "the password cannot be hashed")
        }
        let userID = OpaqueToken.makeID()
        return try await register(
            RegisterUser(UserRegistered(userID: userID, username: username, email: email, passwordHash: hash, roles: roles)),
            id: userID
        )
    }

    /// Imports a user with an existing crypt(3) hash (bcrypt `$2b$`, yescrypt, sha512-crypt, scrypt)
    /// whose cost is not above the server's cap (``PasswordHashing/costAboveCap(_:)``).
    /// - Throws: `AuthError` `.invalidInput`, `.unsupportedHash`, `.usernameTaken` or `.storeFailure`.
    public func importUser(
        username: String,
        passwordHash: String,
        email: String?,
        roles: [String],
        disabled: Bool
    ) async throws(AuthError) -> UserRecord {
        try AccountRules.validateUsername(username)
        if let email { try AccountRules.validateEmail(email) }
        let roles = try AccountRules.normalizedRoles(roles)
        guard PasswordHashing.isSupported(passwordHash) else {
            throw AuthError(.unsupportedHash, "hashed_password is not a supported crypt hash ($y$, $2b$, $2a$, $2y$, $6$, $7$)")
        }
        // A hash costlier than the server's own choice would hold a hashing thread at every login.
        if let reason = PasswordHashing.costAboveCap(passwordHash) {
            throw AuthError(.unsupportedHash, "hashed_password costs more than this server allows: \(reason)")
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
        return try await register(RegisterUser(payload), id: userID)
    }

    /// Creates the admin user of `TESSERA_ADMIN_USERNAME`/`TESSERA_ADMIN_PASSWORD` unless the name exists.
    /// - Returns: true when the user was created now.
    public func ensureAdmin(username: String, password: [UInt8]) async throws(AuthError) -> Bool {
        if try await existing(username) != nil { return false }
        do {
            _ = try await register(username: username, password: password, email: nil, roles: [Role.admin.rawValue])
            logger.notice("created the admin user", metadata: ["tessera.user.name": "\(username)"])
            return true
        } catch let error where error.code == .usernameTaken {
            return false
        }
    }

    /// Changes the caller's password after checking the current one; every other session of
    /// the user is revoked, the caller's survives.
    ///
    /// The current password is checked like a login of the caller's name: reserved first, a
    /// wrong one recorded as a failed login of that name (`LoginFailed`, `UserLockedOut`), and
    /// while the name is locked even the right one gets `.locked`. A stolen access token does
    /// not buy unlimited guesses.
    /// - Throws: `AuthError` `.invalidInput` (new password), `.invalidGrant` (wrong current
    ///   password), `.locked`, `.invalidToken` (the user is gone), `.passwordChangedMeanwhile`,
    ///   `.overloaded`, `.storeFailure`.
    public func changePassword(
        of caller: AccessTokenClaims,
        current: [UInt8],
        new newPassword: [UInt8],
        client: ClientInfo
    ) async throws(AuthError) -> Revocation {
        try AccountRules.validatePassword(newPassword, field: "new_password")
        let reservation = try await gate.admit(username: caller.username.lowercased(), client: client)
        guard let user = reservation.user, user.id == caller.subject else {
            await gate.release(reservation)
            throw AuthError(.invalidToken, "the user no longer exists")
        }
        guard try await gate.check(current, for: reservation) else {
            state?.apply(try await gate.fail(reservation, reason: .badPassword))
            throw AuthError(.invalidGrant, "the current password is wrong")
        }
        let newHash: String
        do {
            newHash = try await hasher.hash(newPassword)
        } catch {
            await gate.release(reservation)
            throw TokenService.hashing(error)
        }
        let change = PasswordChanged(userID: user.id, passwordHash: newHash, sessionID: caller.sessionID)
        let outcome: ChangePassword.Outcome
        do {
            outcome = try await store.run(ChangePassword(change, verifiedHash: user.passwordHash, settling: reservation))
        } catch {
            throw .store(error)
        }
        switch outcome {
        case .changed(let events):
            state?.apply(events)
            return Revocation(events: events)
        case .userGone:
            throw AuthError(.invalidToken, "the user no longer exists")
        case .passwordChangedMeanwhile:
            throw AuthError(.passwordChangedMeanwhile, "the password was changed meanwhile; try again")
        }
    }

    /// The caller's profile (`GET /users/me`), from this node's cache when it has it.
    ///
    /// The cache is kept current by the events the node applies; a read that raced with such
    /// an event is answered but not cached.
    /// - Throws: `AuthError` `.invalidToken` when the user no longer exists, `.storeFailure`.
    public func profile(of caller: AccessTokenClaims) async throws(AuthError) -> UserProfile {
        let userID = caller.subject
        if let cached = state?.profiles.profile(ofUser: userID) { return cached }
        let generation = state?.profiles.generation
        let user: UserRecord?
        do {
            user = try await store.user(id: userID)
        } catch {
            throw .store(error)
        }
        guard let profile = user?.profile else { throw AuthError(.invalidToken, "the user no longer exists") }
        if let generation { state?.profiles.store(profile, ifUnchangedSince: generation) }
        return profile
    }

    private static let taken = AuthError(.usernameTaken, "this username is taken")

    private func existing(_ username: String) async throws(AuthError) -> UserRecord? {
        do {
            return try await store.user(named: username)
        } catch {
            logger.error("reading a user failed", metadata: ["tessera.error": "\(error)"])
            throw .store(error)
        }
    }

    private func register(_ command: RegisterUser, id: String) async throws(AuthError) -> UserRecord {
        do {
            guard case .registered(let event) = try await store.run(command) else { throw Self.taken }
            state?.apply([event])
            guard let user = try await store.user(id: id) else {
                throw AuthError(.storeFailure, "the new user is missing from the projection")
            }
            return user
        } catch let error as AuthError {
            throw error
        } catch {
            logger.error("registering a user failed", metadata: ["tessera.error": "\(error)"])
            throw .store(error)
        }
    }
}
