import Hummingbird
import TesseraAuth

/// `GET /admin/users/{username}/events` (newest first) and `GET /admin/events` (the log, oldest first).
struct AdminEventRoutes {
    let admin: AdminService

    func register(on group: RouterGroup<TesseraRequestContext>) {
        group.get("users/:username/events") { request, context in
            let page = try await admin.events(
                ofUserNamed: try context.parameters.require("username"),
                before: try request.eventCursor(.before),
                limit: try request.pageLimit()
            )
            return EventsPageResponse(page: page)
        }
        group.get("events") { request, _ in
            EventsPageResponse(page: try await admin.events(after: try request.eventCursor(.after), limit: try request.pageLimit()))
        }
    }
}
