import Synchronization
import TesseraCore

/// `GET /users/me` answers by user id, kept on each node so the route needs no Redis round trip.
///
/// A profile shows what only `RolesChanged`, `UserDisabled` and `UserEnabled` change (users are
/// never renamed or deleted), so applying one of those drops the user's entry; ``NodeState``
/// applies every event of the log and the node's own writes at once. An entry is therefore no
/// staler than the node's revocation view, which the route already requires to be fresh. A
/// profile read from Redis while such an event was applied is not stored (`generation`
/// moved), so a slow read cannot put back what an event just dropped. Holds at most `capacity`
/// profiles; storing into a full cache empties it first.
public final class UserProfileCache: Sendable {
    private struct State {
        var profiles: [String: UserProfile] = [:]
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())
    /// The most profiles held.
    public let capacity: Int

    /// Creates an empty cache.
    public init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// The cached profile of the user, if any.
    public func profile(ofUser id: String) -> UserProfile? {
        state.withLock { $0.profiles[id] }
    }

    /// Read before fetching a profile from Redis; pass to ``store(_:ifUnchangedSince:)``.
    public var generation: UInt64 {
        state.withLock { $0.generation }
    }

    /// Stores a profile fetched after `generation` was read, unless an entry was dropped since.
    public func store(_ profile: UserProfile, ifUnchangedSince generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.profiles.count >= capacity, state.profiles[profile.id] == nil { state.profiles.removeAll() }
            state.profiles[profile.id] = profile
        }
    }

    /// How many profiles are cached.
    public var count: Int {
        state.withLock { $0.profiles.count }
    }

    /// Drops the entry of the user an event changes, if it changes what a profile shows.
    func apply(_ event: RecordedEvent) {
        let userID: String?
        switch event.type {
        case .rolesChanged: userID = try? event.decode(as: RolesChanged.self)?.userID
        case .userDisabled: userID = try? event.decode(as: UserDisabled.self)?.userID
        case .userEnabled: userID = try? event.decode(as: UserEnabled.self)?.userID
        default: return
        }
        state.withLock { state in
            if let userID {
                state.profiles[userID] = nil
            } else {
                // Undecodable: drop everything rather than guess.
                state.profiles.removeAll()
            }
            state.generation &+= 1
        }
    }
}
