import ArgumentParser
import Logging
import RedisClient
import TesseraAuth
import TesseraCore
import TesseraPasswords
import TesseraStore

/// `tessera user add` and `tessera user import`.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Create or import users, as events in the log.",
        subcommands: [UserAdd.self, UserImport.self]
    )
}

/// `tessera user add NAME [--role ROLE]... [--email E]`: the password comes from standard input.
struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register a user; the password is the first line of standard input (prompted without echo on a terminal).",
        discussion: "Prints the new user's id and username, separated by a space."
    )

    @OptionGroup var redis: RedisOptions

    @Argument(help: "The username: 1-64 characters of A-Z a-z 0-9 . _ @ -")
    var name: String

    @Option(name: .customLong("role"), help: "A role to grant; repeat for several.")
    var roles: [String] = []

    @Option(help: "The user's email address.")
    var email: String?

    func run() async throws {
        try await UsageErrors.reported(addFromStandardInput)
    }

    private func addFromStandardInput() async throws {
        let environment = EnvironmentDefaults.process
        let logger = try CommandLogging.makeLogger(environment: environment)
        let redisSettings = try redis.makeSettings(environment: environment)
        let password = try PasswordInput.read()
        let hasher = PasswordHasher(configuration: .init(threads: 1, queueLimit: 1), logger: logger)
        defer { hasher.shutdown() }
        let user = try await redisSettings.withStore(poolSize: 1, logger: logger) { store in
            try await add(password: password, service: AccountService(store: store, hasher: hasher, logger: logger))
        }
        print("\(user.id) \(user.username)")
    }

    /// Registers the user with `password`.
    /// - Throws: `ValidationError` for a name, password or email that breaks the account rules (exit 64),
    ///   `CommandFailure` for a taken name or a store failure (exit 1).
    func add(password: [UInt8], service: AccountService) async throws -> UserRecord {
        do {
            return try await service.register(username: name, password: password, email: email, roles: roles)
        } catch let error where error.code == .invalidInput {
            throw ValidationError(error.message)
        } catch let error where error.code == .usernameTaken {
            throw CommandFailure("username '\(name)' is taken")
        } catch {
            throw CommandFailure(error.message)
        }
    }
}

/// `tessera user import FILE`: users with their existing password hashes, from JSON lines.
struct UserImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import users with existing password hashes from JSON lines (a FastAPI/passlib user store).",
        discussion: """
            One object per line: {"username", "hashed_password", "email"?, "roles"?, "disabled"?}; other fields are \
            ignored, blank lines skipped. Hashes may be bcrypt ($2b$, $2a$, $2y$), yescrypt ($y$), sha512-crypt ($6$) \
            or scrypt ($7$); bcrypt hashes are upgraded to yescrypt at the user's next login. A hash that costs more than \
            the server would choose is refused: bcrypt above cost 12, sha512-crypt above 5000 rounds, yescrypt above the \
            server's own N = 4096 and r = 32, scrypt above N·r·p = 2^19. A bad line, a refused hash or a taken \
            username is reported on standard error as 'line N: reason' and skipped; the others are imported. Prints \
            'imported X, skipped Y'; exits 1 when any line was skipped.
            """
    )

    @OptionGroup var redis: RedisOptions

    @Argument(help: "The JSON lines file, or - for standard input.")
    var file: String

    func run() async throws {
        try await UsageErrors.reported(importFile)
    }

    private func importFile() async throws {
        let environment = EnvironmentDefaults.process
        let logger = try CommandLogging.makeLogger(environment: environment)
        let redisSettings = try redis.makeSettings(environment: environment)
        let contents: [UInt8]
        do {
            contents = try file == "-" ? LocalFile.readAll(0) : LocalFile.contents(of: file)
        } catch {
            throw CommandFailure("cannot read \(file == "-" ? "standard input" : file): \(error)")
        }
        // Imports never hash; the service wants a hasher all the same.
        let hasher = PasswordHasher(configuration: .init(threads: 1, queueLimit: 0), logger: logger)
        defer { hasher.shutdown() }
        let summary = try await redisSettings.withStore(poolSize: 1, logger: logger) { store in
            let importer = UserImporter(service: AccountService(store: store, hasher: hasher, logger: logger))
            return try await importer.importLines(of: contents, report: { LocalFile.writeToStandardError($0) })
        }
        print("imported \(summary.imported), skipped \(summary.skipped)")
        if summary.skipped > 0 { throw ExitCode.failure }
    }
}
