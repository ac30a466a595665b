import OTelSDK
import Tracing

enum Fixtures {
    static let resource = Resource(attributes: [Attribute("service.name", .string("tests"))])
    static let scope = InstrumentationScope(name: "tests")

    /// A sampled span named `span-<n>`; with `paddingBytes`, it has a string attribute of that many bytes.
    static func span(_ n: Int, paddingBytes: Int = 0) -> SpanData {
        SpanData(
            name: "span-\(n)",
            context: SpanContext(traceID: TraceID(high: 1, low: UInt64(n + 1)), spanID: SpanID(UInt64(n + 1)), traceFlags: .sampled),
            parentSpanID: nil,
            kind: .internal,
            startTimeNanos: 1,
            endTimeNanos: 2,
            attributes: padding(paddingBytes),
            resource: resource,
            scope: scope
        )
    }

    /// A string attribute of `bytes` bytes, or none for zero.
    static func padding(_ bytes: Int) -> [Attribute] {
        bytes == 0 ? [] : [Attribute("padding", .string(String(repeating: "x", count: bytes)))]
    }

    static func deadline(_ duration: Duration) -> ContinuousClock.Instant {
        .now + duration
    }
}
