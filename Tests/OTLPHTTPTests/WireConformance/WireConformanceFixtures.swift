import OTelSDK

/// A batch that sets every field of the OTLP trace encoding, for the wire-conformance test.
///
/// Two resources; three scopes (two with version and attributes, one bare), one of them used under
/// both resources; spans of all five kinds; root, local-child and remote-child spans; statuses
/// unset, ok, error with and without a message; every `AttributeValue` case (through
/// `TraceEncodingFixtures.everyAttributeType`, also on an event and a link); NUL bytes in span,
/// event and scope names, keys, values and a status message; dropped counts, some above `UInt32.max`.
enum WireConformanceFixtures {
    typealias Base = TraceEncodingFixtures

    /// A string with an embedded NUL, which the encoder writes with U+FFFD in its place.
    static let withNUL = "nul\u{0}inside"

    static let otherTraceID = TraceID(high: 0xFEDC_BA98_7654_3210, low: 0x0000_0000_0000_0001)

    static let otherResource = Resource(attributes: [
        Attribute("service.name", .string("inventory ✓")),
        Attribute("key\u{0}with.nul", .string(withNUL)),
        Attribute("process.pid", .int(4242)),
        Attribute("ratios", .doubleArray([0.25, -1e300])),
        Attribute("tags", .stringArray(["a\u{0}b", "ü"])),
        Attribute("switches", .boolArray([])),
    ])

    static let otherScope = InstrumentationScope(
        name: "com.example.db ☃", version: "0.9.0-beta+β",
        attributes: [
            Attribute("db.system", .string("postgresql")),
            Attribute("pool.sizes", .intArray([1, -2])),
            Attribute("labels", .stringArray([])),
        ])

    static let bareScope = InstrumentationScope(name: "bare\u{0}scope")

    static func batch() -> [SpanData] {
        [kitchenSink(), root(), localChild(), producer(), consumer(), bare()]
    }

    /// NULs where the encoder's string copy changes strategy: short strings byte by byte, up to 64
    /// bytes a word at a time (the last word overlapping), longer ones with `memchr`.
    static let nulEdgeCases: [Attribute] = [
        Attribute("nul.only", .string("\u{0}")),
        Attribute("nul.twice", .string("\u{0}\u{0}")),
        Attribute("nul.last.of.eight", .string("1234567\u{0}")),
        Attribute("nul.first.of.nine", .string("\u{0}12345678")),
        Attribute("nul.in.overlap", .string("123456789\u{0}")),
        Attribute("nul.at.64", .string(String(repeating: "x", count: 63) + "\u{0}")),
        Attribute("nul.at.65", .string(String(repeating: "x", count: 64) + "\u{0}")),
        Attribute("nul.in.long", .string(String(repeating: "ü", count: 100) + "\u{0}end")),
        Attribute(String(repeating: "k", count: 70) + "\u{0}", .stringArray(["\u{0}", "", "x\u{0}"])),
    ]

    /// Messages large enough for three-byte length prefixes and for the encoder's buffers to grow:
    /// one span with thousands of attributes and long strings, then many small spans.
    static func largeBatch() -> [SpanData] {
        var large = Base.simple(name: String(repeating: "long name ", count: 2_000), spanID: 0x100)
        large.attributes = (0..<5_000).map { Attribute("attribute.\($0)", .int(Int64($0) * 1_000_003)) } + [
            Attribute("big.string", .string(String(repeating: "0123456789abcdef", count: 20_000) + "\u{0}tail")),
            Attribute("big.ints", .intArray((0..<10_000).map { Int64($0) - 5_000 })),
            Attribute("big.doubles", .doubleArray((0..<2_000).map { Double($0) / 7 })),
        ]
        large.events = (0..<300).map { SpanData.Event(name: "event \($0)", timeNanos: UInt64(11 + $0), attributes: []) }
        let small = (0..<400).map { index in
            Base.simple(
                name: "small \(index)", spanID: 0x1000 + UInt64(index),
                resource: index.isMultiple(of: 2) ? Base.resource : otherResource,
                scope: index.isMultiple(of: 3) ? Base.scope : otherScope)
        }
        return [large] + small
    }

    /// Server span with a remote parent, error status, events, links, every attribute type.
    static func kitchenSink() -> SpanData {
        Base.kitchenSink()
    }

    /// Root span under a second scope of the first resource; not sampled. `parentIsRemote` is set
    /// but must not matter without a parent.
    static func root() -> SpanData {
        Base.simple(
            name: "root \u{0} ok", spanID: 0x0A, parent: nil, parentIsRemote: true, traceFlags: [], status: .ok,
            attributes: [Attribute("nul", .string(withNUL)), Attribute("emoji", .string("🚀\u{1F1E9}\u{1F1EA}"))],
            scope: otherScope)
    }

    /// Client span whose parent is the kitchen-sink span (local); back in the first scope.
    static func localChild() -> SpanData {
        var span = Base.simple(name: "client call", spanID: 0x0B, parent: Base.spanID)
        span.kind = .client
        span.startTimeNanos = 1_700_000_000_200_000_000
        span.endTimeNanos = 1_700_000_000_300_000_000
        span.attributes = nulEdgeCases
        span.events = [
            SpanData.Event(
                name: "retry\u{0}1", timeNanos: 1_700_000_000_250_000_000,
                attributes: [Attribute("attempt", .int(1))], droppedAttributesCount: 7)
        ]
        return span
    }

    /// Producer span in the second resource under the first resource's scope instance; extra
    /// W3C flag bits, a trace state, local links and dropped counts beyond `UInt32.max`.
    static func producer() -> SpanData {
        var span = Base.simple(
            name: "publish", spanID: 0x0C, traceFlags: TraceFlags(rawValue: 0x03),
            links: [
                SpanData.Link(
                    context: SpanContext(
                        traceID: otherTraceID, spanID: SpanID(0x0102_0304_0506_0708),
                        traceFlags: TraceFlags(rawValue: 0x02), traceState: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"),
                    attributes: Base.everyAttributeType + [Attribute("nul\u{0}", .stringArray([withNUL]))],
                    droppedAttributesCount: Int(UInt32.max)),
                SpanData.Link(
                    context: SpanContext(
                        traceID: Base.traceID, spanID: SpanID(0xAB), traceFlags: .sampled, isRemote: true),
                    attributes: [], droppedAttributesCount: 0),
            ],
            resource: otherResource)
        span.kind = .producer
        span.context.traceID = otherTraceID
        span.context.traceState = "congo=t61rcWkgMzE"
        span.droppedAttributesCount = Int(UInt32.max) + 1
        span.droppedEventsCount = .max
        span.droppedLinksCount = 9
        return span
    }

    /// Consumer span with a remote parent; NUL in its name and status message.
    static func consumer() -> SpanData {
        var span = Base.simple(
            name: "consume\u{0}", spanID: 0x0D, parent: SpanID(0x0C), parentIsRemote: true,
            status: .error(message: "failed: \u{0}"), resource: otherResource, scope: otherScope)
        span.kind = .consumer
        span.context.traceID = otherTraceID
        span.events = [
            SpanData.Event(
                name: "every type", timeNanos: 15, attributes: Base.everyAttributeType, droppedAttributesCount: 1),
            SpanData.Event(name: "second", timeNanos: 16, attributes: []),
        ]
        return span
    }

    /// Internal span under a scope without version or attributes; error status without a message.
    static func bare() -> SpanData {
        Base.simple(
            name: "bare", spanID: 0x0E, parent: SpanID(0x0D), status: .error(message: ""),
            resource: otherResource, scope: bareScope)
    }
}
