import OTelSDK

/// Span values for the encoder tests.
enum TraceEncodingFixtures {
    static let traceID = TraceID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10)
    static let traceIDBytes: [UInt8] = Array(1...16)
    static let spanID = SpanID(0x1112_1314_1516_1718)
    static let spanIDBytes: [UInt8] = Array(0x11...0x18)
    static let parentID = SpanID(0x2122_2324_2526_2728)
    static let parentIDBytes: [UInt8] = Array(0x21...0x28)

    /// One attribute of every value type, including edge cases.
    static let everyAttributeType: [Attribute] = [
        Attribute("string", .string("value")),
        Attribute("empty.string", .string("")),
        Attribute("unicode", .string("Grüße, 世界 🚀 \u{301}e")),
        Attribute("", .string("empty key")),
        Attribute("bool.true", .bool(true)),
        Attribute("bool.false", .bool(false)),
        Attribute("int.zero", .int(0)),
        Attribute("int.min", .int(.min)),
        Attribute("int.max", .int(.max)),
        Attribute("int.negative", .int(-42)),
        Attribute("double.pi", .double(3.141592653589793)),
        Attribute("double.zero", .double(0)),
        Attribute("double.negative.zero", .double(-0.0)),
        Attribute("double.infinity", .double(-.infinity)),
        Attribute("double.nan", .double(.nan)),
        Attribute("double.tiny", .double(.leastNonzeroMagnitude)),
        Attribute("strings", .stringArray(["a", "", "ü", String(repeating: "x", count: 300)])),
        Attribute("strings.empty", .stringArray([])),
        Attribute("bools", .boolArray([true, false, false])),
        Attribute("bools.empty", .boolArray([])),
        Attribute("ints", .intArray([0, 1, -1, .max, .min])),
        Attribute("ints.empty", .intArray([])),
        Attribute("doubles", .doubleArray([0, -0.0, 1.5, .infinity, .nan])),
        Attribute("doubles.empty", .doubleArray([])),
    ]

    static let resource = Resource(attributes: [
        Attribute("service.name", .string("checkout")),
        Attribute("service.instance.id", .string("i-1234")),
        Attribute("host.cores", .int(8)),
        Attribute("deployment.tags", .stringArray(["blue", "eu"])),
    ])

    static let scope = InstrumentationScope(
        name: "com.example.http", version: "1.2.3",
        attributes: [Attribute("scope.flag", .bool(true)), Attribute("scope.list", .doubleArray([0.5]))])

    /// A child span with every field set to a non-default value.
    static func kitchenSink(resource: Resource = resource, scope: InstrumentationScope = scope) -> SpanData {
        SpanData(
            name: "GET /users/{id} ✓ 日本語",
            context: SpanContext(traceID: traceID, spanID: spanID, traceFlags: .sampled, traceState: "vendor=abc,other=x=y"),
            parentSpanID: parentID,
            parentIsRemote: true,
            kind: .server,
            startTimeNanos: 1_700_000_000_123_456_789,
            endTimeNanos: 1_700_000_001_987_654_321,
            attributes: everyAttributeType,
            droppedAttributesCount: 3,
            events: [
                SpanData.Event(
                    name: "exception", timeNanos: 1_700_000_000_500_000_000,
                    attributes: [Attribute("exception.message", .string("nope")), Attribute("ints", .intArray([1, 2]))],
                    droppedAttributesCount: 2),
                SpanData.Event(name: "", timeNanos: 0, attributes: []),
                SpanData.Event(name: "üñí", timeNanos: .max, attributes: [Attribute("empty", .boolArray([]))]),
            ],
            droppedEventsCount: 4,
            links: [
                SpanData.Link(
                    context: SpanContext(
                        traceID: TraceID(high: .max, low: 1), spanID: SpanID(0xAB), traceFlags: [], traceState: "k=v",
                        isRemote: true),
                    attributes: [Attribute("link.kind", .string("follows"))],
                    droppedAttributesCount: 1),
                SpanData.Link(
                    context: SpanContext(traceID: traceID, spanID: SpanID(.max), traceFlags: .sampled),
                    attributes: []),
            ],
            droppedLinksCount: 5,
            status: .error(message: "boom ✗"),
            resource: resource,
            scope: scope)
    }

    /// A minimal span.
    static func simple(
        name: String = "op", spanID: UInt64 = 1, parent: SpanID? = nil, parentIsRemote: Bool = false,
        traceFlags: TraceFlags = .sampled, status: SpanData.Status = .unset,
        attributes: [Attribute] = [], links: [SpanData.Link] = [],
        resource: Resource = resource, scope: InstrumentationScope = scope
    ) -> SpanData {
        SpanData(
            name: name,
            context: SpanContext(traceID: traceID, spanID: SpanID(spanID), traceFlags: traceFlags),
            parentSpanID: parent, parentIsRemote: parentIsRemote,
            kind: .internal, startTimeNanos: 10, endTimeNanos: 20,
            attributes: attributes, links: links, status: status,
            resource: resource, scope: scope)
    }

    /// The decoded span the encoder must produce for `span`, derived field by field.
    static func expected(_ span: SpanData) -> DecodedTraceRequest.Span {
        func flags(_ context: SpanContext, remote: Bool) -> UInt32 {
            UInt32(context.traceFlags.rawValue) | 0x100 | (remote ? 0x200 : 0)
        }
        let kind: UInt32 =
            switch span.kind {
            case .internal: 1
            case .server: 2
            case .client: 3
            case .producer: 4
            case .consumer: 5
            }
        let status: DecodedTraceRequest.Status? =
            switch span.status {
            case .unset: nil
            case .ok: DecodedTraceRequest.Status(code: 1, message: "")
            case .error(let message): DecodedTraceRequest.Status(code: 2, message: message)
            }
        return DecodedTraceRequest.Span(
            traceID: span.context.traceID.bytes,
            spanID: span.context.spanID.bytes,
            traceState: span.context.traceState,
            parentSpanID: span.parentSpanID?.bytes ?? [],
            flags: flags(span.context, remote: span.parentSpanID != nil && span.parentIsRemote),
            name: span.name,
            kind: kind,
            startTimeUnixNano: span.startTimeNanos,
            endTimeUnixNano: span.endTimeNanos,
            attributes: DecodedTraceRequest.expected(span.attributes),
            droppedAttributesCount: UInt32(span.droppedAttributesCount),
            events: span.events.map { event in
                DecodedTraceRequest.Event(
                    timeUnixNano: event.timeNanos, name: event.name,
                    attributes: DecodedTraceRequest.expected(event.attributes),
                    droppedAttributesCount: UInt32(event.droppedAttributesCount))
            },
            droppedEventsCount: UInt32(span.droppedEventsCount),
            links: span.links.map { link in
                DecodedTraceRequest.Link(
                    traceID: link.context.traceID.bytes, spanID: link.context.spanID.bytes,
                    traceState: link.context.traceState,
                    attributes: DecodedTraceRequest.expected(link.attributes),
                    droppedAttributesCount: UInt32(link.droppedAttributesCount),
                    flags: flags(link.context, remote: link.context.isRemote))
            },
            droppedLinksCount: UInt32(span.droppedLinksCount),
            status: status)
    }

    /// The decoded resource the encoder must produce.
    static func expected(_ resource: Resource) -> DecodedTraceRequest.Resource {
        DecodedTraceRequest.Resource(attributes: DecodedTraceRequest.expected(resource.attributes), droppedAttributesCount: 0)
    }

    /// The decoded scope the encoder must produce.
    static func expected(_ scope: InstrumentationScope) -> DecodedTraceRequest.Scope {
        DecodedTraceRequest.Scope(
            name: scope.name, version: scope.version ?? "",
            attributes: DecodedTraceRequest.expected(scope.attributes), droppedAttributesCount: 0)
    }
}
