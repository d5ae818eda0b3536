public import Foundation

/// RFC 3339 UTC timestamps with milliseconds (`2026-11-23T12:00:00.000Z`), as every JSON body uses.
public enum Timestamp {
    /// Formats milliseconds since the epoch.
    public static func rfc3339(milliseconds: Int64) -> String {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let millis = milliseconds - seconds * 1000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            Int(parts.tm_year) + 1900,
            Int(parts.tm_mon) + 1,
            Int(parts.tm_mday),
            Int(parts.tm_hour),
            Int(parts.tm_min),
            Int(parts.tm_sec),
            Int(millis)
        )
    }

    /// Formats a date.
    public static func rfc3339(_ date: Date) -> String {
        rfc3339(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// Milliseconds since the epoch, now (`CLOCK_REALTIME`).
    public static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// NumericDate seconds, now.
    public static func nowSeconds() -> Int64 {
        nowMilliseconds() / 1000
    }
}
