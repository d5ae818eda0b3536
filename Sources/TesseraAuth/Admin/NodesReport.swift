public import TesseraCore
public import TesseraStore

/// Every live node of the deployment and how far each has applied the log.
public struct NodesReport: Sendable, Equatable {
    /// The newest event of the log (`0-0` when empty).
    public var head: EventID
    /// The live nodes, by id.
    public var nodes: [NodeRegistry.Entry]

    /// How far behind the head a node's view is, in ms of event time (0 when caught up).
    public func lagMilliseconds(of node: NodeRegistry.Entry) -> Int64 {
        node.applied >= head ? 0 : max(0, Int64(head.milliseconds) - Int64(node.applied.milliseconds))
    }
}

/// Whether every live node has applied one revocation.
public struct RevocationReceipt: Sendable, Equatable {
    /// The revocation's event id.
    public var id: EventID
    /// Live nodes now.
    public var nodeCount: Int
    /// Live nodes whose views have applied it.
    public var appliedCount: Int

    /// Whether every live node has applied it.
    public var isComplete: Bool { appliedCount == nodeCount }
}
