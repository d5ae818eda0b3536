import NIOCore

extension PasswordHasher {
    /// How many threads hash passwords and how many operations may wait for one.
    public struct Configuration: Sendable {
        /// Worker threads (≥ 1); each runs one hash or verification at a time.
        public var threads: Int
        /// Operations allowed to wait for a free thread (≥ 0); beyond it calls throw
        /// `overloaded`.
        public var queueLimit: Int
        /// How long a password check that finds the hasher saturated waits for room before it
        /// is refused (see ``PasswordHasher/hasRoom()``). Zero refuses at once.
        public var saturatedHold: Duration
        /// At most this many checks wait out `saturatedHold` at once; beyond it a check that
        /// finds the hasher saturated is refused at once, so held requests (each with its body,
        /// up to 64 KiB) stay bounded.
        public var saturatedHoldLimit: Int

        /// The number of usable CPU cores (NIO's `System.coreCount`, which honours cgroup limits).
        public static var defaultThreads: Int { System.coreCount }

        /// Creates a configuration; `threads` defaults to the number of usable CPU cores.
        public init(
            threads: Int = defaultThreads,
            queueLimit: Int = 64,
            saturatedHold: Duration = .milliseconds(500),
            saturatedHoldLimit: Int = 1024
        ) {
            self.threads = threads
            self.queueLimit = queueLimit
            self.saturatedHold = saturatedHold
            self.saturatedHoldLimit = saturatedHoldLimit
        }
    }
}
