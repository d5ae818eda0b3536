public import Logging
public import TesseraCore
public import TesseraStore

/// An admin's use cases: users, roles, sessions, forced logout, disable/enable, the event log,
/// the nodes and revocation receipts. Authorization (the `admin` role) is the caller's job.
public struct AdminService: Sendable {
    private let store: EventStore
    private let state: NodeState
    private let accounts: AccountService
    private let logger: Logger

    /// Creates the service.
    public init(store: EventStore, state: NodeState, accounts: AccountService, logger: Logger) {
        self.store = store
        self.state = state
        self.accounts = accounts
        self.logger = logger
    }

    /// Creates a user with a password and roles.
    public func createUser(username: String, password: [UInt8], email: String?, roles: [String]) async throws(AuthError) -> UserRecord {
        try await accounts.register(username: username, password: password, email: email, roles: roles)
    }

    /// The user with this name (case-insensitively).
    /// - Throws: `AuthError` `.notFound`.
    public func user(named username: String) async throws(AuthError) -> UserRecord {
        let found: UserRecord?
        do {
            found = try await store.user(named: username)
        } catch {
            throw .store(error)
        }
        guard let found else { throw Self.noSuchUser }
        return found
    }

    /// The live sessions of the user with this name, newest first.
    public func sessions(ofUserNamed username: String) async throws(AuthError) -> [SessionRecord] {
        let user = try await user(named: username)
        do {
            return try await store.liveSessions(ofUser: user.id, now: Timestamp.nowMilliseconds())
        } catch {
            throw .store(error)
        }
    }

    /// Revokes one live session, whoever's it is.
    /// - Throws: `AuthError` `.notFound` when no live session has this id.
    public func endSession(_ sessionID: String) async throws(AuthError) -> Revocation {
        let notFound = AuthError(.notFound, "no such live session")
        let outcome: RevokeSessions.Outcome
        do {
            guard let session = try await store.session(id: sessionID), session.isLive(now: Timestamp.nowMilliseconds()) else {
                throw notFound
            }
            outcome = try await store.run(RevokeSessions(userID: session.userID, scope: .one(sessionID), reason: .admin))
        } catch let error as AuthError {
            throw error
        } catch {
            throw .store(error)
        }
        guard case .revoked(let events) = outcome else { throw notFound }
        state.apply(events)
        return Revocation(events: events)
    }

    /// Forces the user out everywhere: every session, and every access token issued until now.
    public func forceLogout(username: String) async throws(AuthError) -> Revocation {
        Revocation(events: try await act(.forceLogout(notBefore: Timestamp.nowSeconds()), onUserNamed: username).events)
    }

    /// Disables the user, which forces a logout too.
    public func disable(username: String) async throws(AuthError) -> Revocation {
        Revocation(events: try await act(.disable(notBefore: Timestamp.nowSeconds()), onUserNamed: username).events)
    }

    /// Enables a disabled user again (nothing happens to one who is not disabled).
    public func enable(username: String) async throws(AuthError) {
        _ = try await act(.enable, onUserNamed: username)
    }

    /// Replaces the user's roles; tokens issued later carry them.
    /// - Throws: `AuthError` `.invalidInput` for roles that break ``AccountRules``, `.notFound`.
    public func setRoles(_ roles: [String], username: String) async throws(AuthError) -> UserRecord {
        let roles = try AccountRules.normalizedRoles(roles)
        let user = try await act(.setRoles(roles), onUserNamed: username).user
        do {
            guard let updated = try await store.user(id: user.id) else { throw Self.noSuchUser }
            return updated
        } catch let error as AuthError {
            throw error
        } catch {
            throw .store(error)
        }
    }

    /// A user's events before `before` (exclusive), newest first.
    public func events(ofUserNamed username: String, before: EventID?, limit: Int) async throws(AuthError) -> EventPage {
        let user = try await user(named: username)
        do {
            let ids = try await store.userEventIDs(userID: user.id, before: before, limit: limit + 1)
            let page = Array(ids.prefix(limit))
            return EventPage(events: try await store.events(withIDs: page), next: ids.count > limit ? page.last : nil)
        } catch {
            throw .store(error)
        }
    }

    /// The log after `after` (exclusive), oldest first: the export.
    public func events(after: EventID?, limit: Int) async throws(AuthError) -> EventPage {
        do {
            let events = try await store.events(after: after, limit: limit + 1)
            let page = Array(events.prefix(limit))
            return EventPage(events: page, next: events.count > limit ? page.last?.id : nil)
        } catch {
            throw .store(error)
        }
    }

    /// Every live node and the log's head.
    public func nodes() async throws(AuthError) -> NodesReport {
        do {
            let head = try await store.head() ?? .zero
            let nodes = try await NodeRegistry.liveNodes(in: store, now: Timestamp.nowMilliseconds())
            return NodesReport(head: head, nodes: nodes.sorted { $0.id < $1.id })
        } catch {
            throw .store(error)
        }
    }

    /// Whether every live node has applied the event `id`.
    /// - Throws: `AuthError` `.notFound` when the log has no such event.
    public func receipt(for id: EventID) async throws(AuthError) -> RevocationReceipt {
        do {
            guard try await !store.events(withIDs: [id]).isEmpty else { throw AuthError(.notFound, "no such event") }
            let nodes = try await NodeRegistry.liveNodes(in: store, now: Timestamp.nowMilliseconds())
            return RevocationReceipt(id: id, nodeCount: nodes.count, appliedCount: nodes.filter { $0.applied >= id }.count)
        } catch let error as AuthError {
            throw error
        } catch {
            throw .store(error)
        }
    }

    private static let noSuchUser = AuthError(.notFound, "no such user")

    /// Runs an admin action on the named user and applies its events here.
    private func act(
        _ action: AdminUserAction.Action,
        onUserNamed username: String
    ) async throws(AuthError) -> (user: UserRecord, events: [RecordedEvent]) {
        let user = try await user(named: username)
        let outcome: AdminUserAction.Outcome
        do {
            outcome = try await store.run(AdminUserAction(userID: user.id, action: action))
        } catch {
            throw .store(error)
        }
        guard case .applied(let events) = outcome else { throw Self.noSuchUser }
        state.apply(events)
        return (user, events)
    }
}
