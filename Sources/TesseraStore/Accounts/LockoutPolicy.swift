/// When failed logins lock a username or an IP out (API.md, "Lockout").
public struct LockoutPolicy: Sendable, Equatable {
    /// Consecutive failures within 15 minutes that lock a name; 0 turns name lockout off.
    public var threshold: Int
    /// The first lock's duration; it doubles per consecutive lockout.
    public var baseSeconds: Int
    /// The longest lock.
    public var maxSeconds: Int
    /// Failures from one client IP within 15 minutes after which it gets 429; 0 turns it off.
    public var ipFailureLimit: Int

    /// Creates a policy; the defaults are API.md's.
    public init(threshold: Int = 5, baseSeconds: Int = 30, maxSeconds: Int = 900, ipFailureLimit: Int = 100) {
        self.threshold = threshold
        self.baseSeconds = baseSeconds
        self.maxSeconds = maxSeconds
        self.ipFailureLimit = ipFailureLimit
    }
}
