import Foundation
import TesseraAuth
import TesseraStore

/// Imports users from JSON lines, one `AccountService.importUser` per line.
///
/// A line that cannot be imported is reported as `line N: reason` and skipped; the others go
/// on. Reports never hold a line's text, so neither a hash nor anything else from the file
/// reaches the terminal or a log.
struct UserImporter: Sendable {
    /// How many lines were imported and how many were skipped.
    struct Summary: Sendable, Equatable {
        var imported = 0
        var skipped = 0
    }

    /// One line of a FastAPI/passlib user store; other fields (`full_name`, …) are ignored.
    private struct Line: Decodable {
        var username: String
        var hashedPassword: String
        var email: String?
        var roles: [String]?
        var disabled: Bool?

        enum CodingKeys: String, CodingKey {
            case username
            case hashedPassword = "hashed_password"
            case email
            case roles
            case disabled
        }
    }

    let service: AccountService

    /// Imports every non-blank line of `contents` in order, calling `report` for each skipped one.
    ///
    /// - Throws: `CommandFailure` when the store fails, which would fail every later line too.
    func importLines(of contents: [UInt8], report: (String) -> Void) async throws -> Summary {
        var summary = Summary()
        for (index, line) in contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) { continue }
            let number = index + 1
            do {
                try await importLine(Data(line))
                summary.imported += 1
            } catch let reason as LineRejection {
                summary.skipped += 1
                report("line \(number): \(reason.message)")
            } catch {
                throw CommandFailure("line \(number): \(error) (imported \(summary.imported), skipped \(summary.skipped) before it)")
            }
        }
        return summary
    }

    /// Why one line was skipped.
    private struct LineRejection: Error {
        var message: String
    }

    private func importLine(_ data: Data) async throws {
        let line: Line
        do {
            line = try JSONDecoder().decode(Line.self, from: data)
        } catch {
            throw LineRejection(message: Self.describe(error))
        }
        do {
            _ = try await service.importUser(
                username: line.username,
                passwordHash: line.hashedPassword,
                email: line.email,
                roles: line.roles ?? [],
                disabled: line.disabled ?? false
            )
        } catch let error where error.code == .usernameTaken {
            throw LineRejection(message: "username '\(line.username)' is taken")
        } catch let error where error.code == .invalidInput || error.code == .unsupportedHash {
            throw LineRejection(message: error.message)
        } catch {
            throw CommandFailure(error.message)
        }
    }

    /// A decoding failure in words that name fields, never values.
    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _):
            return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty:
            return "not a JSON object"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type"
        default:
            return "invalid JSON"
        }
    }
}
