import Crypto
import Foundation
import Synchronization

/// A Lua script of `redis/scripts/`, prepended with `lib.lua`, ready for EVALSHA.
///
/// The scripts are package resources (`Sources/TesseraStore/Scripts` links to `redis/scripts`),
/// reviewed as code like any Swift file.
public struct StoreScript: Sendable, Hashable {
    /// The script's file name without `.lua`.
    public let name: String
    /// The full source sent to Redis: `lib.lua` followed by the script.
    public let source: String
    /// The SHA-1 of `source`, as EVALSHA wants it.
    public let sha1: String

    /// Loads `NAME.lua` from the package resources.
    /// - Throws: `StoreError` `.missingScript` when the resource is not there (a packaging mistake).
    public static func named(_ name: String) throws(StoreError) -> StoreScript {
        let library = try resource("lib")
        let body = try resource(name)
        return StoreScript(name: name, source: library + "\n" + body)
    }

    init(name: String, source: String) {
        self.name = name
        self.source = source
        self.sha1 = Insecure.SHA1.hash(data: Array(source.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    private static func resource(_ name: String) throws(StoreError) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "lua", subdirectory: "Scripts"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            throw StoreError(.missingScript, "Lua script \(name).lua is missing from the TesseraStore resources")
        }
        return text
    }
}

extension StoreScript {
    private static let cache = Mutex<[String: StoreScript]>([:])

    /// `named(_:)`, read from disk once per process.
    static func cached(_ name: String) throws(StoreError) -> StoreScript {
        if let script = cache.withLock({ $0[name] }) { return script }
        let script = try named(name)
        cache.withLock { $0[name] = script }
        return script
    }
}
