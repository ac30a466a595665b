import Logging
@testable import OTLPHTTP
import OTelSDK
import OTelTesting
import PropertyBased
import Testing

/// What a server or the environment can send the exporter: parsed with checked arithmetic, never a trap.
@Suite("OTLP transport at its boundaries", .timeLimit(.minutes(2)))
struct TransportBoundaryTests {
    static let now = UnixSeconds(value: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
    static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The IMF-fixdate of `seconds` since the epoch (Howard Hinnant's civil_from_days, independent of the parser).
    static func imfFixdate(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let weekday = Self.days[Int(((days % 7) + 7) % 7)]
        let paddedYear = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(weekday), \(two(day)) \(months[Int(month) - 1]) \(paddedYear) \(two(time / 3600)):\(two(time % 3600 / 60)):\(two(time % 60)) GMT"
    }

    @Test("Retry-After with a year outside 1...9999 is malformed, not an overflow")
    func retryAfterExtremeYears() {
        for value in [
            "Sun, 06 Nov 9223372036854775807 08:49:37 GMT", "Sun, 06 Nov -9223372036854775808 08:49:37 GMT",
            "Sun, 06 Nov 99999999999999 08:49:37 GMT", "Sun, 06 Nov 0 08:49:37 GMT", "Sun, 06 Nov 10000 08:49:37 GMT",
        ] {
            #expect(RetryAfter.parse(value, now: Self.now) == nil)
        }
        #expect(RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", now: UnixSeconds(value: 253_402_300_798)) == .seconds(1))
        #expect(RetryAfter.parse("9223372036854775807", now: Self.now) == .seconds(Int64.max))
        #expect(RetryAfter.parse("9223372036854775808", now: Self.now) == nil)
    }

    @Test("Retry-After: 0 or a past date waits the back-off; a longer Retry-After wins")
    func retryAfterNeverShortensTheBackOff() {
        let policy = OTLPRetryPolicy(initialBackoff: .milliseconds(100), maxBackoff: .seconds(1), multiplier: 2, jitter: 0)
        #expect(policy.delay(retry: 1, random: 0.5, retryAfter: .zero) == .milliseconds(100))
        #expect(policy.delay(retry: 3, random: 0.5, retryAfter: .milliseconds(50)) == .milliseconds(400))
        #expect(policy.delay(retry: 1, random: 0.5, retryAfter: .seconds(3)) == .seconds(3))
        #expect(policy.delay(retry: 1, random: 0.5, retryAfter: nil) == .milliseconds(100))
    }

    @Test("a far deadline's nanoseconds saturate instead of overflowing")
    func nanosecondsSaturate() {
        #expect(Duration.seconds(Int64.max).nanoseconds == .max)
        #expect(Duration.seconds(Int64.min).nanoseconds == .min)
        #expect(Duration.milliseconds(Int64.max).nanoseconds == .max)
        #expect(Duration.milliseconds(1500).nanoseconds == 1_500_000_000)
        #expect((Duration.seconds(9_223_372_036) + .nanoseconds(854_775_807)).nanoseconds == .max)
        #expect((Duration.seconds(9_223_372_036) + .nanoseconds(854_775_808)).nanoseconds == .max)
    }

    @Test("an exporter given another signal's configuration rejects every batch, named, instead of crashing")
    func wrongSignalConfigurationIsRejected() async {
        let lines = LogCapture()
        let spans = OTLPSpanExporter(configuration: OTLPExporterConfiguration(signal: .metrics), diagnostics: lines.logger)
        guard case .rejected(let failure) = await spans.export([TraceEncodingFixtures.kitchenSink()], deadline: .now + .seconds(1)) else {
            Issue.record("a span exporter with a metrics configuration exported")
            return
        }
        #expect(failure.description.contains("traces exporter was given a metrics configuration"))
        #expect(lines.messages.contains { $0.contains("traces exporter was given a metrics configuration") })
        await spans.shutdown(deadline: .now + .seconds(1))

        let metrics = OTLPMetricExporter(configuration: OTLPExporterConfiguration(signal: .logs), diagnostics: lines.logger)
        #expect(lines.messages.contains { $0.contains("metrics exporter was given a logs configuration") })
        await metrics.shutdown(deadline: .now + .seconds(1))
    }

    // MARK: Properties

    @Test("property: any Retry-After is a non-negative delay or nil, never a trap")
    func retryAfterNeverTraps() async {
        let values = Gen<String>.oneOf(
            Gen.ascii.string(of: 0...40).eraseToAny(),
            Gen.int64().map { String($0) }.eraseToAny(),
            Gen.int64().map { "Sun, 06 Nov \($0) 08:49:37 GMT" }.eraseToAny(),
            Gen.int64(in: -99...99).map { "Sun, \($0) Nov 1994 \($0):\($0):\($0) GMT" }.eraseToAny()
        )
        await propertyCheck(count: 1000, input: values, Gen.int64(in: -(1 << 40)...(1 << 40))) { value, now in
            if let delay = RetryAfter.parse(value, now: UnixSeconds(value: now)) {
                #expect(delay >= .zero)
            }
        }
    }

    @Test("property: IMF-fixdates from year 1 to 9999 round-trip")
    func imfFixdateRoundTrips() async {
        await propertyCheck(count: 1000, input: Gen.int64(in: -62_135_596_800...253_402_300_799)) { seconds in
            #expect(RetryAfter.parseIMFFixdate(Self.imfFixdate(seconds)) == seconds)
        }
    }

    @Test("property: delay-seconds round-trip")
    func delaySecondsRoundTrip() async {
        await propertyCheck(count: 500, input: Gen.int64(in: 0...Int64.max)) { seconds in
            #expect(RetryAfter.parse(String(seconds), now: Self.now) == .seconds(seconds))
        }
    }

    @Test("property: nanoseconds are exact where they fit and saturate where they do not")
    func nanosecondsProperty() async {
        await propertyCheck(count: 1000, input: Gen.int64(), Gen.int64(in: 0...999_999_999)) { seconds, nanoseconds in
            let duration = Duration.seconds(seconds) + .nanoseconds(nanoseconds)
            let exact = Int128(seconds) * 1_000_000_000 + Int128(nanoseconds)
            #expect(Int128(duration.nanoseconds) == min(max(exact, Int128(Int64.min)), Int128(Int64.max)))
        }
    }
}
