public import TesseraCore

/// What a store script did: appended events, or refused because a precondition failed.
public enum ScriptOutcome: Sendable, Equatable {
    /// The events were appended (in this order) and their projections updated.
    case appended(Appended)
    /// A precondition failed; nothing was written.
    case rejected(ScriptRejection)

    /// The result of a successful script.
    public struct Appended: Sendable, Equatable {
        /// The ids of the appended events, in log order. Empty when the script had nothing to do.
        public var eventIDs: [EventID]
        /// Named values the script returns besides the ids (e.g. the session a refresh token belonged to).
        public var values: [String: String]

        /// Creates a result.
        public init(eventIDs: [EventID], values: [String: String] = [:]) {
            self.eventIDs = eventIDs
            self.values = values
        }
    }
}

/// A failed precondition of a store script: a code to switch on and a detail for logs.
public struct ScriptRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The script's code, e.g. `conflict`, `not_found`, `reused`.
    public var code: String
    /// A detail for logs.
    public var detail: String

    /// Creates a rejection.
    public init(code: String, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }
}
