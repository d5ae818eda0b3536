import ArgumentParser
import Logging
import RedisClient
import TesseraAuth
import TesseraCore
import TesseraPasswords
import TesseraStore
import TesseraStoreTestSupport
import TesseraTestSupport
import Testing

@testable import tessera

@Suite(.redisServer) struct UserCommandTests {
    let logger = Logger(label: "test")

    @Test func userAddRegistersAUserWithItsRolesAndAYescryptHash() async throws {
        try await RedisServer.withSuiteAccounts { _, service in
            let command = try UserAdd.parse(["Alice", "--role", "admin", "--role", "ops", "--email", "alice@example.com"])
            let added = try await command.add(password: Array("s3cret password".utf8), service: service)
            let user = try #require(try await service.store.user(named: "alice"))
            #expect(user.id == added.id)
            #expect(user.username == "Alice")
            #expect(user.roles == ["admin", "ops"])
            #expect(user.email == "alice@example.com")
            #expect(user.passwordHash.hasPrefix("$y$"))
            #expect(PasswordHashing.verify(Array("s3cret password".utf8), against: user.passwordHash))
        }
    }

    @Test func userAddOfATakenNameFailsNamingIt() async throws {
        try await RedisServer.withSuiteAccounts { _, service in
            _ = try await UserAdd.parse(["bob"]).add(password: Array("password one".utf8), service: service)
            do {
                _ = try await UserAdd.parse(["BOB"]).add(password: Array("password two".utf8), service: service)
                Issue.record("a taken name was registered again")
            } catch let failure as CommandFailure {
                #expect(failure.description == "username 'BOB' is taken")
            }
        }
    }

    @Test func userAddWithInvalidInputIsAUsageError() async throws {
        try await RedisServer.withSuiteAccounts { _, service in
            await #expect(throws: ValidationError.self) {
                try await UserAdd.parse(["carol"]).add(password: Array("short".utf8), service: service)
            }
            await #expect(throws: ValidationError.self) {
                try await UserAdd.parse(["carol dee"]).add(password: Array("long enough".utf8), service: service)
            }
            let carol = try await service.store.user(named: "carol")
            #expect(carol == nil, "nothing was registered")
        }
    }

    @Test func userImportImportsTheValidLineAndReportsTheOthersByNumber() async throws {
        let contents = """
            {"username": "johndoe", "full_name": "John Doe", "email": "johndoe@example.com", "hashed_password": "\(PasslibHash.bcrypt)", "disabled": false, "roles": ["reader"]}
            {"username": "broken", "hashed_password":
            {"username": "alice", "hashed_password": "plaintext"}

            """
        try await RedisServer.withSuiteAccounts { _, service in
            var reports: [String] = []
            let summary = try await UserImporter(service: service).importLines(of: Array(contents.utf8)) { reports.append($0) }
            #expect(summary == UserImporter.Summary(imported: 1, skipped: 2))
            #expect(reports.count == 2)
            #expect(reports.first == "line 2: invalid JSON")
            #expect(reports.last?.hasPrefix("line 3: hashed_password is not a supported crypt hash") == true)
            #expect(!reports.contains { $0.contains("plaintext") || $0.contains(PasslibHash.bcrypt) }, "reports never echo a hash")

            let user = try #require(try await service.store.user(named: "JohnDoe"))
            #expect(user.passwordHash == PasslibHash.bcrypt)
            #expect(user.email == "johndoe@example.com")
            #expect(user.roles == ["reader"])
            #expect(!user.isDisabled)
            #expect(PasswordHashing.verify(Array(PasslibHash.password.utf8), against: user.passwordHash))
            #expect(try await service.store.user(named: "alice") == nil)
        }
    }

    @Test func userImportSkipsTakenNamesAndReportsMissingFields() async throws {
        let contents = """
            {"username": "dora", "hashed_password": "\(PasslibHash.bcrypt)", "disabled": true}

            {"username": "Dora", "hashed_password": "\(PasslibHash.bcrypt)"}
            {"username": "eve"}
            {"username": "frank", "hashed_password": "\(PasslibHash.bcrypt)", "roles": "admin"}
            ["not", "an", "object"]
            """
        try await RedisServer.withSuiteAccounts { _, service in
            var reports: [String] = []
            let summary = try await UserImporter(service: service).importLines(of: Array(contents.utf8)) { reports.append($0) }
            #expect(summary == UserImporter.Summary(imported: 1, skipped: 4))
            #expect(
                reports == [
                    "line 3: username 'Dora' is taken",
                    "line 4: missing \"hashed_password\"",
                    "line 5: \"roles\" has the wrong type",
                    "line 6: not a JSON object",
                ]
            )
            #expect(try await service.store.user(named: "dora")?.isDisabled == true)
        }
    }

    @Test func anUnreachableRedisIsARuntimeFailureNamingIt() async throws {
        let settings = RedisSettings(endpoint: RedisEndpoint(address: .tcp(host: "127.0.0.1", port: 1)), keyPrefix: "x:")
        do {
            _ = try await settings.connect(poolSize: 1, logger: logger)
            Issue.record("connected to a closed port")
        } catch let failure as CommandFailure {
            #expect(failure.description.hasPrefix("cannot reach Redis at 127.0.0.1:1: "))
        }
    }
}
