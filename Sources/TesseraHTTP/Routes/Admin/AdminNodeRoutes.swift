import Hummingbird
import TesseraAuth
import TesseraCore

/// `GET /admin/nodes` and `GET /admin/revocations/{id}`: which nodes have applied what.
struct AdminNodeRoutes {
    let admin: AdminService

    func register(on group: RouterGroup<TesseraRequestContext>) {
        group.get("nodes") { _, _ in
            NodesBody(try await admin.nodes())
        }
        group.get("revocations/:id") { _, context in
            guard let id = EventID(try context.parameters.require("id")) else {
                throw APIError.invalidRequest("the id must be an event id such as 1732363200000-0")
            }
            return ReceiptBody(try await admin.receipt(for: id))
        }
    }
}
