#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time as the token and event code wants it.
enum Clock {
    /// Milliseconds since the epoch.
    static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// NumericDate seconds.
    static func nowSeconds() -> Int64 {
        nowMilliseconds() / 1000
    }
}
