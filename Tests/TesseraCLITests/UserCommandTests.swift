import ArgumentParser
import Foundation
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

    /// Hashes costlier than the server's own choice are refused line by line with the reason,
    /// never the hash; hashes at the cap are imported.
    @Test func userImportRefusesHashesAboveTheCostCap() async throws {
        let yescrypt = "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7"
        let sha512 = "$6$saltsaltsaltsalt$" + String(repeating: "a", count: 86)
        let refused = [
            PasslibHash.bcrypt.replacingOccurrences(of: "$2b$12$", with: "$2b$31$"),
            PasslibHash.bcrypt.replacingOccurrences(of: "$2b$12$", with: "$2a$13$"),
            sha512.replacingOccurrences(of: "$6$", with: "$6$rounds=656000$"),
            yescrypt.replacingOccurrences(of: "$y$j9T$", with: "$y$jFT$"),
            yescrypt.replacingOccurrences(of: "$y$j9T$", with: "$y$j9V$"),
            "$7$GU..../....qm9UA2i6.40TFf6/HUaYX/$" + String(repeating: "b", count: 43),
        ]
        let accepted = [PasslibHash.bcrypt, yescrypt, sha512, sha512.replacingOccurrences(of: "$6$", with: "$6$rounds=5000$")]
        let lines =
            refused.enumerated().map { #"{"username": "refused\#($0)", "hashed_password": "\#($1)"}"# }
            + accepted.enumerated().map { #"{"username": "accepted\#($0)", "hashed_password": "\#($1)"}"# }
        try await RedisServer.withSuiteAccounts { _, service in
            var reports: [String] = []
            let summary = try await UserImporter(service: service).importLines(of: Array(lines.joined(separator: "\n").utf8)) { reports.append($0) }
            #expect(summary == UserImporter.Summary(imported: accepted.count, skipped: refused.count))
            #expect(
                reports == [
                    "line 1: hashed_password costs more than this server allows: bcrypt cost 31 is above the cap of 12",
                    "line 2: hashed_password costs more than this server allows: bcrypt cost 13 is above the cap of 12",
                    "line 3: hashed_password costs more than this server allows: sha512-crypt rounds 656000 are above the cap of 5000",
                    "line 4: hashed_password costs more than this server allows: yescrypt N = 2^18, r = 32 is above the cap (N ≤ 4096, r ≤ 32)",
                    "line 5: hashed_password costs more than this server allows: yescrypt N = 2^12, r = 34 is above the cap (N ≤ 4096, r ≤ 32)",
                    "line 6: hashed_password costs more than this server allows: scrypt N = 2^18, r = 32, p = 1 is above the cap (N·r·p ≤ 524288)",
                ]
            )
            #expect(!reports.contains { report in refused.contains { report.contains($0) } }, "reports never echo a hash")
            for index in refused.indices { #expect(try await service.store.user(named: "refused\(index)") == nil) }
            for index in accepted.indices { #expect(try await service.store.user(named: "accepted\(index)") != nil) }
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
