#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses an HTTP `Retry-After` value: delay-seconds, or an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
enum RetryAfter {
    /// The delay to wait, or nil if the value is malformed. A date in the past gives zero (the retry policy's
    /// back-off still applies: see `OTLPRetryPolicy.delay(retry:random:retryAfter:)`).
    /// - Parameter now: seconds since the Unix epoch, for HTTP-dates.
    static func parse(_ value: String, now: UnixSeconds) -> Duration? {
        let trimmed = value.trimmingCharacters(in: " \t")
        if let seconds = Int64(trimmed) {
            return seconds >= 0 ? .seconds(seconds) : nil
        }
        guard let date = parseIMFFixdate(trimmed) else { return nil }
        return .seconds(max(0, date - now.value))
    }

    /// The years an IMF-fixdate may name (four digits, RFC 9110); outside them the date is malformed, and the
    /// day arithmetic below cannot overflow.
    static let years: ClosedRange<Int64> = 1...9999

    /// Seconds since the epoch of an IMF-fixdate, or nil.
    static func parseIMFFixdate(_ value: String) -> Int64? {
        // "Sun, 06 Nov 1994 08:49:37 GMT"
        let parts = value.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int64(parts[1]),
              let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].firstIndex(of: String(parts[2])),
              let year = Int64(parts[3]), years.contains(year) else { return nil }
        let time = parts[4].split(separator: ":")
        guard time.count == 3, let hour = Int64(time[0]), let minute = Int64(time[1]), let second = Int64(time[2]),
              (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        return daysFromCivil(year: year, month: Int64(month) + 1, day: day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). Exact for any year whose
    /// magnitude is below 2^40; callers pass years in ``years``.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// Wall-clock seconds since the Unix epoch.
struct UnixSeconds: Sendable {
    var value: Int64

    static var now: UnixSeconds {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UnixSeconds(value: Int64(spec.tv_sec))
    }
}
