import OTelSDK
import Tracing

enum Fixtures {
    static let resource = Resource(attributes: [Attribute("service.name", .string("tests"))])
    static let scope = InstrumentationScope(name: "tests")

    /// A sampled span named `span-<n>`.
    static func span(_ n: Int) -> SpanData {
        SpanData(
            name: "span-\(n)",
            context: SpanContext(traceID: TraceID(high: 1, low: UInt64(n + 1)), spanID: SpanID(UInt64(n + 1)), traceFlags: .sampled),
            parentSpanID: nil,
            kind: .internal,
            startTimeNanos: 1,
            endTimeNanos: 2,
            resource: resource,
            scope: scope
        )
    }

    static func deadline(_ duration: Duration) -> ContinuousClock.Instant {
        .now + duration
    }
}
