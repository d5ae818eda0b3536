import NIOCore

extension PasswordHasher {
    /// How many threads hash passwords and how many operations may wait for one.
    public struct Configuration: Sendable {
        /// Worker threads (≥ 1); each runs one hash or verification at a time.
        public var threads: Int
        /// Operations allowed to wait for a free thread (≥ 0); beyond it calls throw
        /// `overloaded`.
        public var queueLimit: Int

        /// The number of usable CPU cores (NIO's `System.coreCount`, which honours cgroup limits).
        public static var defaultThreads: Int { System.coreCount }

        /// Creates a configuration; `threads` defaults to the number of usable CPU cores.
        public init(threads: Int = defaultThreads, queueLimit: Int = 64) {
            self.threads = threads
            self.queueLimit = queueLimit
        }
    }
}
