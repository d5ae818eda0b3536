import Hummingbird
import TesseraAuth

/// `/admin/users`: create, read, roles, forced logout, disable and enable.
struct AdminUserRoutes {
    let admin: AdminService

    func register(on group: RouterGroup<TesseraRequestContext>) {
        group.post("users") { request, context in
            let body = try await request.decode(as: NewUserRequest.self, context: context)
            let user = try await admin.createUser(
                username: body.username,
                password: Array(body.password.utf8),
                email: body.email,
                roles: body.roles ?? []
            )
            return EditedResponse(status: .created, response: UserBody(user))
        }
        group.get("users/:username") { _, context in
            UserBody(try await admin.user(named: try context.parameters.require("username")))
        }
        group.put("users/:username/roles") { request, context in
            let body = try await request.decode(as: RolesRequest.self, context: context)
            return UserBody(try await admin.setRoles(body.roles, username: try context.parameters.require("username")))
        }
        group.post("users/:username/logout") { _, context in
            Response.revoked(try await admin.forceLogout(username: try context.parameters.require("username")))
        }
        group.post("users/:username/disable") { _, context in
            Response.revoked(try await admin.disable(username: try context.parameters.require("username")))
        }
        group.post("users/:username/enable") { _, context in
            try await admin.enable(username: try context.parameters.require("username"))
            return Response(status: .noContent)
        }
    }
}
