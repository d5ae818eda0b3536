import TesseraCore
import Testing

@testable import TesseraStore

@Suite struct UserProfileCacheTests {
    func profile(_ id: String) -> UserProfile {
        UserProfile(id: id, username: id, email: nil, roles: [], isDisabled: false, createdAt: 0)
    }

    func event(_ type: EventType, _ json: String) -> RecordedEvent {
        RecordedEvent(id: EventID(milliseconds: 1, sequence: 0), type: type, version: 1, data: Array(json.utf8))
    }

    @Test func aProfileReadBeforeAChangeIsNotStoredAfterIt() throws {
        let cache = UserProfileCache()
        let generation = cache.generation
        cache.apply(event(.rolesChanged, #"{"user_id":"someone-else","roles":[]}"#))
        cache.store(profile("u"), ifUnchangedSince: generation)
        #expect(cache.profile(ofUser: "u") == nil, "an event was applied while the profile was read")
        cache.store(profile("u"), ifUnchangedSince: cache.generation)
        #expect(cache.profile(ofUser: "u") == profile("u"))
    }

    @Test func onlyEventsThatChangeTheProfileDropIt() throws {
        let cache = UserProfileCache()
        cache.store(profile("u"), ifUnchangedSince: cache.generation)
        cache.apply(event(.sessionRevoked, #"{"user_id":"u","sid":"s","reason":"logout","access_expires_at":1}"#))
        #expect(cache.count == 1)
        cache.apply(event(.userEnabled, #"{"user_id":"v"}"#))
        #expect(cache.count == 1)
        cache.apply(event(.rolesChanged, #"{"user_id":"u","roles":["user"]}"#))
        #expect(cache.count == 0)
        cache.store(profile("u"), ifUnchangedSince: cache.generation)
        cache.apply(event(.userDisabled, #"{"user_id":"u","not_before":1}"#))
        #expect(cache.count == 0)
        cache.store(profile("u"), ifUnchangedSince: cache.generation)
        cache.apply(event(.userEnabled, #"{"user_id":"u"}"#))
        #expect(cache.count == 0)
    }

    @Test func anUndecodableChangeDropsEverything() throws {
        let cache = UserProfileCache()
        cache.store(profile("u"), ifUnchangedSince: cache.generation)
        cache.store(profile("v"), ifUnchangedSince: cache.generation)
        cache.apply(event(.rolesChanged, #"{"user":"u"}"#))
        #expect(cache.count == 0)
    }

    @Test func aFullCacheStartsOver() {
        let cache = UserProfileCache(capacity: 2)
        for user in ["a", "b", "c"] {
            cache.store(profile(user), ifUnchangedSince: cache.generation)
        }
        #expect(cache.count == 1)
        #expect(cache.profile(ofUser: "c") == profile("c"))
    }
}
