import ArgumentParser
import TesseraCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Flags win over `TESSERA_<FLAG>` environment variables, which win over defaults.
///
/// It holds the environment as raw bytes (a secret is the variable's exact bytes, even when
/// they are not UTF-8) and is built from a dictionary in tests, so the mapping of flags to
/// configuration never reads the process environment itself. An empty variable counts as unset.
struct EnvironmentDefaults: Sendable {
    private let variables: [String: [UInt8]]

    /// An environment of these variables.
    init(_ variables: [String: String]) {
        self.variables = variables.mapValues { Array($0.utf8) }
    }

    /// An environment of these variables, with values as raw bytes.
    init(bytes variables: [String: [UInt8]]) {
        self.variables = variables
    }

    /// The environment of this process.
    static var process: EnvironmentDefaults {
        var variables: [String: [UInt8]] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer)))
            if let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
                variables[String(decoding: bytes[..<equals], as: UTF8.self)] = Array(bytes[(equals + 1)...])
            }
            entry += 1
        }
        return EnvironmentDefaults(bytes: variables)
    }

    /// The environment variable for a flag: `--max-revocation-lag` → `TESSERA_MAX_REVOCATION_LAG`.
    static func variableName(forFlag flag: String) -> String {
        "TESSERA_" + flag.uppercased().replacingOccurrences("-", with: "_")
    }

    /// The variable's raw bytes, if set and not empty.
    func bytes(ofVariable name: String) -> [UInt8]? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// The variable's value as text, if set and not empty.
    func value(ofVariable name: String) -> String? {
        bytes(ofVariable: name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The environment's value for a flag, if set and not empty.
    func value(forFlag flag: String) -> String? {
        value(ofVariable: Self.variableName(forFlag: flag))
    }

    /// The flag's value, else the environment's, else `nil`.
    func resolve(_ flagValue: String?, flag: String) -> String? {
        flagValue ?? value(forFlag: flag)
    }

    /// The flag's value, else the environment's, else the default.
    func resolve(_ flagValue: String?, flag: String, default defaultValue: String) -> String {
        resolve(flagValue, flag: flag) ?? defaultValue
    }

    /// The flag's values when given at least once, else the environment's comma-separated list
    /// (empty items dropped), else an empty list.
    func resolveList(_ flagValues: [String], flag: String) -> [String] {
        if !flagValues.isEmpty { return flagValues }
        guard let text = value(forFlag: flag) else { return [] }
        return text.split(separator: ",").map(String.init)
    }

    /// Like `resolve`, parsed as an integer in a range; a bad value is a usage error (exit 64).
    func resolveInt(_ flagValue: Int?, flag: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        try resolveNumber(flagValue, flag: flag, default: defaultValue, range: range, kind: "an integer")
    }

    /// Like `resolveInt`, a whole number of seconds as a `Duration`.
    func resolveWholeSeconds(_ flagSeconds: Int?, flag: String, default defaultValue: Duration, range: ClosedRange<Int>) throws -> Duration {
        .seconds(try resolveNumber(flagSeconds, flag: flag, default: Int(defaultValue.wholeSeconds), range: range, kind: "an integer"))
    }

    /// Like `resolve`, a number of seconds (fractions allowed, kept to the millisecond) as a `Duration`.
    func resolveSeconds(_ flagSeconds: Double?, flag: String, default defaultValue: Duration, range: ClosedRange<Double>) throws -> Duration {
        let defaultSeconds = Double(defaultValue.wholeMilliseconds) / 1000
        let seconds = try resolveNumber(flagSeconds, flag: flag, default: defaultSeconds, range: range, kind: "a number")
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Like `resolve`, one of `choices` (names compared case-insensitively); a bad value is a usage error.
    func resolveChoice<Choice>(
        _ flagValue: String?,
        flag: String,
        default defaultValue: Choice,
        choices: KeyValuePairs<String, Choice>
    ) throws -> Choice {
        guard let (text, source) = sourced(flagValue, flag: flag) else { return defaultValue }
        guard let choice = choices.first(where: { $0.key.lowercased() == text.lowercased() })?.value else {
            let allowed = choices.map(\.key).joined(separator: ", ")
            throw ValidationError("\(source) must be one of \(allowed) (got '\(text)')")
        }
        return choice
    }

    /// The value and how to name where it came from (`--flag` or `TESSERA_FLAG`).
    private func sourced(_ flagValue: String?, flag: String) -> (String, String)? {
        if let flagValue { return (flagValue, "--\(flag)") }
        if let text = value(forFlag: flag) { return (text, Self.variableName(forFlag: flag)) }
        return nil
    }

    private func resolveNumber<Number: LosslessStringConvertible & Comparable>(
        _ flagValue: Number?,
        flag: String,
        default defaultValue: Number,
        range: ClosedRange<Number>,
        kind: String
    ) throws -> Number {
        let value: Number
        let source: String
        if let flagValue {
            (value, source) = (flagValue, "--\(flag)")
        } else if let text = self.value(forFlag: flag) {
            source = Self.variableName(forFlag: flag)
            guard let parsed = Number(text) else {
                throw ValidationError("\(source)=\(text) is not \(kind)")
            }
            value = parsed
        } else {
            return defaultValue
        }
        guard range.contains(value) else {
            throw ValidationError("\(source) must be within \(range.lowerBound)...\(range.upperBound) (got \(value))")
        }
        return value
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: Character, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
