/// `POST /users`: open registration.
struct RegistrationRequest: Decodable {
    var username: String
    var password: String
    var email: String?
}

/// `POST /admin/users`: a user with roles.
struct NewUserRequest: Decodable {
    var username: String
    var password: String
    var email: String?
    var roles: [String]?
}

/// `PUT /admin/users/{username}/roles`.
struct RolesRequest: Decodable {
    var roles: [String]
}

/// `POST /users/me/password`.
struct PasswordChangeRequest: Decodable {
    var currentPassword: String
    var newPassword: String

    enum CodingKeys: String, CodingKey {
        case currentPassword = "current_password"
        case newPassword = "new_password"
    }
}
