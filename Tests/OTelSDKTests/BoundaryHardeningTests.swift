#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers
import OTelTesting
import PropertyBased
import Testing
import Tracing

@testable import OTelSDK

/// What users and the environment can hand the SDK: never a trap; a value that cannot be used is refused, named.
@Suite("SDK inputs at their boundaries", .timeLimit(.minutes(2)))
struct BoundaryHardeningTests {
    static let numbers = Gen<String>.oneOf(
        Gen<String?>.element(of: [
            "", "0", "-0", "+1", " 7 ", "1e3", "0x10", "-1", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "2147483647", "2147483648", "1" + String(repeating: "0", count: 30),
        ]).map { $0 ?? "" }.eraseToAny(),
        Gen.int64().map { String($0) }.eraseToAny(),
        Gen.number.string(of: 0...40).eraseToAny(),
        Gen.ascii.string(of: 0...24).eraseToAny()
    )

    @Test("a timed wait for a deadline centuries away is capped at a day instead of overflowing")
    func farDeadlineTimedWait() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let far = LockedCondition<Int>.waitClockTime(after: .seconds(Int64.max))
        #expect(Int64(far.tv_sec) >= Int64(now.tv_sec) + 86_399)
        #expect(Int64(far.tv_sec) <= Int64(now.tv_sec) + 86_401)
    }

    /// A user's own integer measurement type (`MetricValue` is public).
    struct Count: MetricValue {
        var value: Int64
        static var isMetricInteger: Bool { true }
        var metricIntegerValue: Int64 { value }
        var metricDoubleValue: Double { Double(value) }
        static func < (lhs: Count, rhs: Count) -> Bool { lhs.value < rhs.value }
    }

    @Test("one instrument name with two value types: the second is not exported, the first keeps working, no crash")
    func instrumentRegisteredWithTwoValueTypes() async {
        let harness = MetricsHarness()
        let meter = harness.meter
        meter.observableGauge(name: "queue.depth", of: Int64.self) { $0.observe(3) }
        meter.observableGauge(name: "queue.depth", of: Count.self) { $0.observe(Count(value: 99)) }
        let exported = await harness.collect()
        guard case .gauge(let points)? = exported["queue.depth"]?.points else {
            Issue.record("queue.depth was not exported")
            return
        }
        #expect(points.map(\.value) == [.int(3)])
    }

    // MARK: Properties

    @Test("property: OTEL_* numbers give the parsed value or the default, never a trap")
    func environmentNumbersProperty() async {
        await propertyCheck(count: 1000, input: Self.numbers) { text in
            let environment = OTelEnvironment(["N": text], diagnostics: DiagnosticLogger.disabled)
            let trimmed = text.trimmingWhitespace()
            let integer = environment.integer("N", default: -7)
            #expect(integer == -7 || (Int(trimmed) == integer && (0...Int(Int32.max)).contains(integer)))
            let milliseconds = environment.milliseconds("N", default: .seconds(-7))
            #expect(milliseconds == .seconds(-7) || Int64(trimmed).map { Duration.milliseconds($0) } == milliseconds)
            let timeout = environment.timeout("N", default: .seconds(-7))
            #expect(timeout == .seconds(-7) || (timeout == nil && Int64(trimmed) == 0) || Int64(trimmed).map { Duration.milliseconds($0) } == timeout)
        }
    }

    @Test("property: a queue byte bound from the environment is the value when in 1...Int32.max, else the default; the batch bound never exceeds it")
    func queueBytesProperty() async {
        await propertyCheck(count: 500, input: Self.numbers) { text in
            let environment = OTelEnvironment(["OTEL_LAMBDA_BSP_MAX_QUEUE_BYTES": text], diagnostics: DiagnosticLogger.disabled)
            let configuration = BatchConfiguration.spans(environment: environment)
            let bytes = configuration.maxQueueBytes
            if let parsed = Int(text.trimmingWhitespace()), (1...Int(Int32.max)).contains(parsed) {
                #expect(bytes == parsed)
            } else {
                #expect(bytes == BatchConfiguration.defaultMaxQueueBytes)
            }
            #expect(configuration.maxExportBatchBytes == min(BatchConfiguration.defaultMaxExportBatchBytes, bytes))
        }
    }

    @Test("property: non-negative OTEL_* milliseconds round-trip")
    func environmentMillisecondsRoundTrip() async {
        await propertyCheck(count: 500, input: Gen.int64(in: 1...Int64.max)) { value in
            let environment = OTelEnvironment(["N": String(value)], diagnostics: DiagnosticLogger.disabled)
            #expect(environment.milliseconds("N", default: .zero) == .milliseconds(value))
            #expect(environment.timeout("N", default: nil) == .milliseconds(value))
        }
    }

    static let contexts = Gen.uint64().array(of: 3).map { words in
        SpanContext(
            traceID: TraceID(high: words[0], low: words[1] | 1), spanID: SpanID(words[2] | 1),
            traceFlags: words[0] & 1 == 0 ? [] : .sampled, isRemote: true)
    }

    @Test("property: traceparent and X-Ray headers round-trip every valid context")
    func propagatorsRoundTrip() async {
        await propertyCheck(count: 500, input: Self.contexts) { context in
            for propagator in [W3CTraceContextPropagator() as any SpanContextPropagator, XRayPropagator()] {
                var headers: [String: String] = [:]
                propagator.inject(context) { headers[$0] = $1 }
                #expect(propagator.extract { headers[$0] } == context)
            }
        }
    }

    static let hexish = Gen<Character?>.element(of: Array("0123456789abcdefABCDEF-+ ;=xz")).map { $0 ?? "0" }

    @Test("property: any traceparent, tracestate or X-Ray header is a valid context or nil, never a trap")
    func propagatorsNeverTrap() async {
        let headers = Gen<String>.oneOf(
            Self.hexish.string(of: 0...64).eraseToAny(),
            Gen.ascii.string(of: 0...80).eraseToAny(),
            Self.hexish.string(of: 32).map { "00-\($0)-0123456789abcdef-01" }.eraseToAny(),
            Self.hexish.string(of: 24).map { "Root=1-5759e988-\($0);Parent=53995c3f42cd8ad8;Sampled=1" }.eraseToAny()
        )
        await propertyCheck(count: 1000, input: headers, Gen.ascii.string(of: 0...80)) { header, state in
            let w3c = W3CTraceContextPropagator().extract { $0 == "traceparent" ? header : state }
            if let w3c {
                #expect(w3c.isValid)
                #expect(header.contains(w3c.traceID.hex) && header.contains(w3c.spanID.hex))
            }
            if let xray = XRayPropagator.parse(header) {
                #expect(xray.isValid)
            }
            if let kept = W3CTraceContextPropagator.validTraceState(state) {
                #expect(kept.split(separator: ",").count <= 32)
            }
        }
    }
}
