/// When failed logins lock a username or a client address out.
public struct LockoutPolicy: Sendable, Equatable {
    /// Consecutive failures of one name within `window` that lock it; 0 turns name lockout off.
    public var threshold: Int
    /// How long a failure counts.
    public var window: Duration
    /// The first lock's duration; it doubles per consecutive lockout.
    public var firstLock: Duration
    /// The longest lock.
    public var longestLock: Duration
    /// Failures from one client address within `window` after which it gets 429; 0 turns it off.
    public var ipFailureLimit: Int

    /// Creates a policy: by default 5 failures in 15 minutes lock a name for 30 s, doubling up
    /// to 15 minutes, and 100 failures from one address in 15 minutes block it.
    public init(
        threshold: Int = 5,
        window: Duration = .seconds(15 * 60),
        firstLock: Duration = .seconds(30),
        longestLock: Duration = .seconds(15 * 60),
        ipFailureLimit: Int = 100
    ) {
        self.threshold = threshold
        self.window = window
        self.firstLock = firstLock
        self.longestLock = longestLock
        self.ipFailureLimit = ipFailureLimit
    }
}
