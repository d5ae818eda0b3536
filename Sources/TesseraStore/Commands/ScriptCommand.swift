import TesseraCore

/// A request to one store script: its arguments as a Swift value, and its reply as a typed outcome.
///
/// ``EventStore/run(_:)`` runs it. The script checks its preconditions, appends its events and
/// updates their projections in one step; a rejected precondition writes nothing.
public protocol ScriptCommand: Sendable {
    /// What running the script produced.
    associatedtype Outcome: Sendable
    /// The script this command runs.
    static var script: ScriptName { get }
    /// Whether the script may append a revoking event, so that `--min-replicas-ack` waits for it.
    static var mayRevoke: Bool { get }
    /// The script's `ARGV` after the key prefix, in the order its header documents.
    func arguments() throws(StoreError) -> [String]
    /// The outcome of the script's reply to this command.
    /// - Throws: `StoreError` `.corruptData` for a rejection code or values the script never sends.
    func outcome(of reply: ScriptReply) throws(StoreError) -> Outcome
}

extension ScriptCommand {
    public static var mayRevoke: Bool { false }

    /// A payload as the text the script decodes.
    static func json(_ payload: some EventPayload) throws(StoreError) -> String {
        do {
            return String(decoding: try EventEncoding.encode(payload), as: UTF8.self)
        } catch {
            throw StoreError(.corruptData, "cannot encode \(type(of: payload).type)")
        }
    }

    /// The error for a reply this command's script never sends.
    static func unexpected(_ reply: ScriptReply) -> StoreError {
        StoreError(.corruptData, "\(script.rawValue).lua answered \(reply.summary), which it never does")
    }
}
