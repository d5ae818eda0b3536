import ArgumentParser
import TesseraCore
import TesseraStore

/// `tessera feed-credential issue NAME` and `tessera feed-credential revoke ID`.
struct FeedCredentialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed-credential",
        abstract: "Issue or revoke the credential an API node presents to read the revocation feed, as events in the log.",
        subcommands: [FeedCredentialIssue.self, FeedCredentialRevoke.self]
    )
}

/// `tessera feed-credential issue NAME`: prints the new credential once; only its hash is stored.
struct FeedCredentialIssue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a feed credential for the API node NAME.",
        discussion: "Prints the credential (ID.SECRET) on standard output. It is shown only this once: the log keeps its hash."
    )

    @OptionGroup var redis: RedisOptions

    @Argument(help: "A name for the API node, for the log (1-64 characters).")
    var name: String

    func validate() throws {
        guard (1...64).contains(name.utf8.count) else { throw ValidationError("NAME must be 1-64 bytes") }
    }

    func run() async throws {
        try await UsageErrors.reported {
            let environment = EnvironmentDefaults.process
            let logger = try CommandLogging.makeLogger(environment: environment)
            let credential = try await redis.makeSettings(environment: environment).withStore(poolSize: 1, logger: logger, issue)
            print(credential.text)
        }
    }

    /// Issues a new credential: appends `FeedCredentialIssued` with its hash.
    /// - Throws: `CommandFailure` when the store fails.
    func issue(on store: EventStore) async throws -> FeedCredential {
        let credential = FeedCredential.make()
        let issued = FeedCredentialIssued(credentialID: credential.id, name: name, secretHash: credential.secretHash)
        let outcome: IssueFeedCredential.Outcome
        do {
            outcome = try await store.run(IssueFeedCredential(issued))
        } catch {
            throw CommandFailure(error.message)
        }
        guard case .issued = outcome else { throw CommandFailure("a credential with id \(credential.id) exists already") }
        return credential
    }
}

/// `tessera feed-credential revoke ID`: Tessera nodes refuse it from then on and cut its open streams.
struct FeedCredentialRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a feed credential by its id (the part before the dot); its open streams are cut."
    )

    @OptionGroup var redis: RedisOptions

    @Argument(help: "The credential's id.")
    var id: String

    func run() async throws {
        try await UsageErrors.reported {
            let environment = EnvironmentDefaults.process
            let logger = try CommandLogging.makeLogger(environment: environment)
            print(try await redis.makeSettings(environment: environment).withStore(poolSize: 1, logger: logger, revoke))
        }
    }

    /// Revokes the credential: appends `FeedCredentialRevoked`; returns its event id.
    /// - Throws: `CommandFailure` for an id with no live credential, or when the store fails.
    func revoke(on store: EventStore) async throws -> EventID {
        let outcome: RevokeFeedCredential.Outcome
        do {
            outcome = try await store.run(RevokeFeedCredential(credentialID: id))
        } catch {
            throw CommandFailure(error.message)
        }
        guard case .revoked(let events) = outcome, let event = events.last else {
            throw CommandFailure("no live feed credential has the id \(id)")
        }
        return event.id
    }
}
