import NIOCore
import Synchronization
import TesseraCore

/// `GET /users/me` bodies by user id, kept on each node so that the route answers without a
/// Redis round trip.
///
/// A body shows what only `RolesChanged`, `UserDisabled` and `UserEnabled` change (users are
/// never renamed or deleted), so applying one of those drops the user's entry: the log
/// follower applies every event of the deployment, the node applies its own writes at once.
/// An entry is therefore no staler than the node's revocation view, which the route already
/// requires to be fresh. A body read from Redis while such an event was applied is not
/// stored (`generation` moved), so a slow read cannot put back what an event just dropped.
/// Holds at most `capacity` bodies; storing into a full cache empties it first.
final class UserProfileCache: Sendable {
    private struct State {
        var bodies: [String: ByteBuffer] = [:]
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// The cached body of the user, if any.
    func body(forUser id: String) -> ByteBuffer? {
        state.withLock { $0.bodies[id] }
    }

    /// Read before fetching a body from Redis; pass to ``store(_:forUser:ifUnchangedSince:)``.
    var generation: UInt64 {
        state.withLock { $0.generation }
    }

    /// Stores a body fetched after `generation` was read, unless an entry was dropped since.
    func store(_ body: ByteBuffer, forUser id: String, ifUnchangedSince generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.bodies.count >= capacity, state.bodies[id] == nil { state.bodies.removeAll() }
            state.bodies[id] = body
        }
    }

    /// Drops the user's entry (and invalidates reads in flight).
    func invalidate(user id: String) {
        drop { $0.bodies[id] = nil }
    }

    /// Drops every entry (and invalidates reads in flight).
    func invalidateAll() {
        drop { $0.bodies.removeAll() }
    }

    private func drop(_ change: (inout State) -> Void) {
        state.withLock { state in
            change(&state)
            state.generation &+= 1
        }
    }

    /// Drops the entry of the user an event changes, if it changes what a body shows.
    func apply(_ event: RecordedEvent) {
        let userID: String?
        switch event.type {
        case .rolesChanged: userID = try? event.decode(as: RolesChanged.self)?.userID
        case .userDisabled: userID = try? event.decode(as: UserDisabled.self)?.userID
        case .userEnabled: userID = try? event.decode(as: UserEnabled.self)?.userID
        default: return
        }
        if let userID {
            invalidate(user: userID)
        } else {
            // Undecodable: drop everything rather than guess.
            invalidateAll()
        }
    }

    /// How many bodies are cached.
    var count: Int {
        state.withLock { $0.bodies.count }
    }
}
