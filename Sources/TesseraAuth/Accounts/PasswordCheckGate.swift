import Logging
import TesseraCore
import TesseraPasswords
import TesseraStore

/// Every password check — a login, the current password of a password change — goes through
/// here: turned away before any other work when the hasher is saturated (after a short wait
/// for room, `PasswordHasher.hasRoom()`, which paces clients that resend at once), reserved in
/// Redis before hashing (so a name gets at most the lockout threshold's worth of checks per
/// window, however many requests arrive at once), and settled after.
struct PasswordCheckGate: Sendable {
    let store: EventStore
    let hasher: PasswordHasher
    let policy: LockoutPolicy
    let logger: Logger

    /// How long a reservation holds if its node dies before settling it.
    static let hold: Duration = .seconds(30)

    /// Reserves a check of a password for `username` (lower-cased) from `client`.
    /// - Throws: `AuthError` `.overloaded` (the hasher is still saturated after the wait for
    ///   room: nothing else is spent),
    ///   `.locked` (the name is locked, its checks are in flight, or the client used its
    ///   allowance), `.storeFailure`.
    func admit(username: String, client: ClientInfo) async throws(AuthError) -> ReservePasswordCheck.Reservation {
        guard await hasher.hasRoom() else {
            throw AuthError(.overloaded, "the server is busy; retry shortly", retryAfter: .seconds(1))
        }
        let outcome: ReservePasswordCheck.Outcome
        do {
            outcome = try await store.run(
                ReservePasswordCheck(
                    username: username,
                    client: client.rateLimitKey,
                    policy: policy,
                    hold: Self.hold,
                    nowMilliseconds: Timestamp.nowMilliseconds()
                )
            )
        } catch {
            throw .store(error)
        }
        switch outcome {
        case .reserved(let reservation):
            return reservation
        case .refused(.locked(let until)):
            throw TokenService.locked(until: until)
        case .refused(.busy):
            throw AuthError(.locked, "too many login attempts for this name; try again later", retryAfter: .seconds(1))
        case .refused(.address):
            throw AuthError(.locked, "too many failed logins from this address; try again later", retryAfter: .seconds(60))
        }
    }

    /// Whether `password` is the reserved user's; for a name with no user, the same hashing
    /// work against a dummy hash and `false`. A check the hasher refuses releases the reservation.
    /// - Throws: `AuthError` `.overloaded` or `.internalFailure`.
    func check(_ password: [UInt8], for reservation: ReservePasswordCheck.Reservation) async throws(AuthError) -> Bool {
        do {
            guard let user = reservation.user else {
                try await hasher.verifyAgainstDummy(password)
                return false
            }
            return try await hasher.verify(password, against: user.passwordHash)
        } catch {
            await release(reservation)
            throw TokenService.hashing(error)
        }
    }

    /// Settles a failed check: `LoginFailed`, and `UserLockedOut` when it locks the name.
    func fail(_ reservation: ReservePasswordCheck.Reservation, reason: LoginFailed.Reason) async throws(AuthError) -> [RecordedEvent] {
        let failure = LoginFailed(userID: reservation.user?.id, username: reservation.username, ip: reservation.client, reason: reason)
        do {
            return try await store.run(RecordFailedLogin(failure, policy: policy, settling: reservation)).events
        } catch {
            throw .store(error)
        }
    }

    /// Releases a reservation that will not be settled; best effort (it expires by itself).
    func release(_ reservation: ReservePasswordCheck.Reservation) async {
        do {
            try await store.releasePasswordCheck(reservation)
        } catch {
            logger.warning("releasing a password check failed; it expires by itself", metadata: ["tessera.error": "\(error)"])
        }
    }
}
