/// The Lua scripts of the store, by file name (`Scripts/<name>.lua`, each run with `lib.lua`
/// prepended).
public enum ScriptName: String, Sendable, CaseIterable {
    /// Adds a user if the name is free: ``RegisterUser``.
    case register
    /// Reserves one password check for a name and a client, before hashing: ``ReservePasswordCheck``.
    case loginAttempt = "login_attempt"
    /// Opens a session after a verified password: ``OpenSession``.
    case login
    /// Records a failed login and locks the name past the threshold: ``RecordFailedLogin``.
    case loginFailed = "login_failed"
    /// Rotates a refresh token: ``RotateRefreshToken``.
    case refresh
    /// Revokes one, all or all other sessions of a user: ``RevokeSessions``.
    case revokeSessions = "revoke_sessions"
    /// Changes a password and revokes every other session: ``ChangePassword``.
    case changePassword = "change_password"
    /// An admin's forced logout, disable, enable or role change: ``AdminUserAction``.
    case adminUser = "admin_user"
    /// Revokes one access token by its `jti`: ``RevokeAccessToken``.
    case revokeToken = "revoke_token"
    /// Revokes the session of a refresh token: ``RevokeRefreshToken``.
    case revokeRefresh = "revoke_refresh"
    /// Issues or revokes an API node's feed credential: ``IssueFeedCredential``, ``RevokeFeedCredential``.
    case feedCredential = "feed_credential"
    /// Reads the revocation projection with the log position it reflects.
    case revocations
    /// Applies a batch of logged events to a scratch prefix.
    case replay
}
