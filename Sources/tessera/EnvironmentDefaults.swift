import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Flags win over `TESSERA_<FLAG>` environment variables, which win over defaults (API.md).
enum EnvironmentDefaults {
    /// The environment variable for a flag: `--max-revocation-lag` → `TESSERA_MAX_REVOCATION_LAG`.
    static func variableName(forFlag flag: String) -> String {
        "TESSERA_" + flag.uppercased().replacingOccurrences("-", with: "_")
    }

    /// The environment's value for a flag, if set and not empty.
    static func value(forFlag flag: String) -> String? {
        guard let raw = getenv(variableName(forFlag: flag)) else { return nil }
        let text = String(cString: raw)
        return text.isEmpty ? nil : text
    }

    /// The flag's value, else the environment's, else the default.
    static func resolve(_ flagValue: String?, flag: String, default defaultValue: String) -> String {
        flagValue ?? value(forFlag: flag) ?? defaultValue
    }

    /// Like `resolve`, parsed as an integer in a range; a bad value is a usage error (exit 64).
    static func resolveInt(_ flagValue: Int?, flag: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        let value: Int
        if let flagValue {
            value = flagValue
        } else if let text = self.value(forFlag: flag) {
            guard let parsed = Int(text) else {
                throw ValidationError("\(variableName(forFlag: flag))=\(text) is not an integer")
            }
            value = parsed
        } else {
            value = defaultValue
        }
        guard range.contains(value) else {
            throw ValidationError("--\(flag) must be within \(range.lowerBound)...\(range.upperBound) (got \(value))")
        }
        return value
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: Character, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
