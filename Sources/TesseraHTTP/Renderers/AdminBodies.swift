import Hummingbird
import TesseraAuth
import TesseraCore
import TesseraStore

/// `GET /admin/nodes`: `{"head", "nodes":[{"id","address","started_at","applied","lag_ms","last_seen_at"}]}`.
struct NodesBody: ResponseEncodable {
    struct Node: Encodable {
        var id: String
        var address: String
        var startedAt: String
        var applied: String
        var lagMilliseconds: Int64
        var lastSeenAt: String

        enum CodingKeys: String, CodingKey {
            case id, address, applied
            case startedAt = "started_at"
            case lagMilliseconds = "lag_ms"
            case lastSeenAt = "last_seen_at"
        }
    }

    var head: String
    var nodes: [Node]

    init(_ report: NodesReport) {
        head = report.head.description
        nodes = report.nodes.map { node in
            Node(
                id: node.id,
                address: node.address,
                startedAt: Timestamp.rfc3339(milliseconds: node.startedAt),
                applied: node.applied.description,
                lagMilliseconds: report.lagMilliseconds(of: node),
                lastSeenAt: Timestamp.rfc3339(milliseconds: node.lastSeenAt)
            )
        }
    }
}

/// `GET /admin/revocations/{id}`: `{"id","nodes","applied_by","complete"}`.
struct ReceiptBody: ResponseEncodable {
    var id: String
    var nodes: Int
    var appliedBy: Int
    var complete: Bool

    init(_ receipt: RevocationReceipt) {
        id = receipt.id.description
        nodes = receipt.nodeCount
        appliedBy = receipt.appliedCount
        complete = receipt.isComplete
    }

    enum CodingKeys: String, CodingKey {
        case id, nodes, complete
        case appliedBy = "applied_by"
    }
}
