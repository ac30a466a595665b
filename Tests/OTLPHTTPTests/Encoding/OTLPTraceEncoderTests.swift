import OTelSDK
import OTelTesting
import Testing
import Tracing

@testable import OTLPHTTP

@Suite("OTLPTraceEncoder", .timeLimit(.minutes(2)))
struct OTLPTraceEncoderTests {
    typealias Fixtures = TraceEncodingFixtures

    private func roundTrip(_ spans: [SpanData]) throws -> DecodedTraceRequest {
        let bytes = OTLPTraceEncoder.encode(spans)
        // The span-by-span packing with hand-written framing must equal packing the whole tree.
        #expect(bytes == ReferenceTraceEncoder.encode(spans))
        return try DecodedTraceRequest(decoding: bytes)
    }

    @Test("every field of a span, its resource and scope round-trips")
    func everyField() throws {
        let span = Fixtures.kitchenSink()
        let decoded = try roundTrip([span])

        let expected = DecodedTraceRequest(resourceSpans: [
            DecodedTraceRequest.ResourceSpans(
                resource: Fixtures.expected(Fixtures.resource),
                scopeSpans: [
                    DecodedTraceRequest.ScopeSpans(
                        scope: Fixtures.expected(Fixtures.scope), spans: [Fixtures.expected(span)], schemaURL: "")
                ],
                schemaURL: "")
        ])
        #expect(decoded == expected)

        // Spot-check the derived expectations against literal values.
        let wire = try #require(decoded.allSpans.first)
        #expect(wire.traceID == Fixtures.traceIDBytes)
        #expect(wire.spanID == Fixtures.spanIDBytes)
        #expect(wire.parentSpanID == Fixtures.parentIDBytes)
        #expect(wire.traceState == "vendor=abc,other=x=y")
        #expect(wire.flags == 0x301)
        #expect(wire.kind == 2)
        #expect(wire.name == "GET /users/{id} ✓ 日本語")
        #expect(wire.startTimeUnixNano == 1_700_000_000_123_456_789)
        #expect(wire.endTimeUnixNano == 1_700_000_001_987_654_321)
        #expect(wire.droppedAttributesCount == 3)
        #expect(wire.droppedEventsCount == 4)
        #expect(wire.droppedLinksCount == 5)
        #expect(wire.status == DecodedTraceRequest.Status(code: 2, message: "boom ✗"))
        #expect(wire.attributes.count == Fixtures.everyAttributeType.count)
        #expect(wire.attributes.first { $0.key == "double.nan" }?.value == .double(Double.nan.bitPattern))
        #expect(wire.attributes.first { $0.key == "strings.empty" }?.value == .array([]))
        #expect(wire.attributes.first { $0.key == "int.min" }?.value == .int(.min))
        #expect(wire.events.map(\.name) == ["exception", "", "üñí"])
        #expect(wire.events.map(\.timeUnixNano) == [1_700_000_000_500_000_000, 0, .max])
        #expect(wire.events[0].droppedAttributesCount == 2)
        #expect(wire.links.map(\.flags) == [0x300, 0x101])
        #expect(wire.links[0].traceID == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 1])
        #expect(wire.links[0].spanID == [0, 0, 0, 0, 0, 0, 0, 0xAB])
        #expect(wire.links[0].traceState == "k=v")
        #expect(wire.links[0].droppedAttributesCount == 1)
        #expect(wire.links[1].traceState == "")
    }

    @Test("every span kind maps to its OTLP value")
    func kinds() throws {
        var spans: [SpanData] = []
        for (index, kind) in [SpanKindCase.internal, .server, .client, .producer, .consumer].enumerated() {
            var span = Fixtures.simple(spanID: UInt64(index + 1))
            kind.apply(to: &span)
            spans.append(span)
        }
        let decoded = try roundTrip(spans)
        #expect(decoded.allSpans.map(\.kind) == [1, 2, 3, 4, 5])
    }

    @Test("flags: W3C flags in the low byte, HAS_IS_REMOTE always, IS_REMOTE for remote parents only")
    func spanFlags() throws {
        let spans = [
            Fixtures.simple(spanID: 1, parent: nil),  // sampled root
            Fixtures.simple(spanID: 2, parent: nil, traceFlags: []),  // unsampled root
            Fixtures.simple(spanID: 3, parent: nil, parentIsRemote: true),  // root: no parent, so not remote
            Fixtures.simple(spanID: 4, parent: SpanID(9)),  // local parent
            Fixtures.simple(spanID: 5, parent: SpanID(9), parentIsRemote: true),  // remote parent
            Fixtures.simple(spanID: 6, parent: SpanID(9), parentIsRemote: true, traceFlags: []),
            Fixtures.simple(spanID: 7, parent: SpanID(9), traceFlags: TraceFlags(rawValue: 0xFF)),
        ]
        let decoded = try roundTrip(spans).allSpans
        #expect(decoded.map(\.flags) == [0x101, 0x100, 0x101, 0x101, 0x301, 0x300, 0x1FF])
        #expect(decoded.map(\.parentSpanID) == [[], [], [], [0, 0, 0, 0, 0, 0, 0, 9], [0, 0, 0, 0, 0, 0, 0, 9], [0, 0, 0, 0, 0, 0, 0, 9], [0, 0, 0, 0, 0, 0, 0, 9]])
    }

    @Test("link flags take is-remote from the link's context")
    func linkFlags() throws {
        func link(_ flags: TraceFlags, remote: Bool) -> SpanData.Link {
            SpanData.Link(context: SpanContext(traceID: Fixtures.traceID, spanID: SpanID(3), traceFlags: flags, isRemote: remote), attributes: [])
        }
        let span = Fixtures.simple(links: [link(.sampled, remote: false), link(.sampled, remote: true), link([], remote: false), link([], remote: true)])
        let decoded = try roundTrip([span]).allSpans
        #expect(decoded.first?.links.map(\.flags) == [0x101, 0x301, 0x100, 0x300])
    }

    @Test("status: unset has no Status message, ok and error carry their code and message")
    func status() throws {
        let spans = [
            Fixtures.simple(spanID: 1, status: .unset),
            Fixtures.simple(spanID: 2, status: .ok),
            Fixtures.simple(spanID: 3, status: .error(message: "bad request")),
            Fixtures.simple(spanID: 4, status: .error(message: "")),
        ]
        let decoded = try roundTrip(spans).allSpans
        #expect(decoded.map(\.status) == [
            nil,
            DecodedTraceRequest.Status(code: 1, message: ""),
            DecodedTraceRequest.Status(code: 2, message: "bad request"),
            DecodedTraceRequest.Status(code: 2, message: ""),
        ])
    }

    @Test("grouping: 2 resources × 2 scopes give 2 ResourceSpans with 2 ScopeSpans each, in first-seen order")
    func grouping() throws {
        let resourceA = Resource(attributes: [Attribute("service.name", .string("a"))])
        let resourceB = Resource(attributes: [Attribute("service.name", .string("b"))])
        let scopeX = InstrumentationScope(name: "x", version: "1")
        let scopeY = InstrumentationScope(name: "y")
        let order: [(Resource, InstrumentationScope)] = [
            (resourceA, scopeX), (resourceB, scopeY), (resourceA, scopeY), (resourceB, scopeX),
            (resourceA, scopeX), (resourceB, scopeY), (resourceA, scopeY), (resourceA, scopeX),
        ]
        let spans = order.enumerated().map { index, pair in
            Fixtures.simple(name: "span\(index)", spanID: UInt64(index + 1), resource: pair.0, scope: pair.1)
        }
        let decoded = try roundTrip(spans)

        #expect(decoded.resourceSpans.count == 2)
        #expect(decoded.resourceSpans.map(\.resource) == [Fixtures.expected(resourceA), Fixtures.expected(resourceB)])
        #expect(decoded.resourceSpans.allSatisfy { $0.scopeSpans.count == 2 })
        #expect(decoded.resourceSpans[0].scopeSpans.map(\.scope) == [Fixtures.expected(scopeX), Fixtures.expected(scopeY)])
        #expect(decoded.resourceSpans[1].scopeSpans.map(\.scope) == [Fixtures.expected(scopeY), Fixtures.expected(scopeX)])
        let names = decoded.resourceSpans.map { $0.scopeSpans.map { $0.spans.map(\.name) } }
        #expect(names == [
            [["span0", "span4", "span7"], ["span2", "span6"]],
            [["span1", "span5"], ["span3"]],
        ])
        #expect(decoded.resourceSpans[0].scopeSpans[1].scope?.version == "")
    }

    @Test("grouping is by identity: equal but distinct resources and scopes stay apart")
    func groupingByIdentity() throws {
        let resource1 = Resource(attributes: [Attribute("service.name", .string("same"))])
        let resource2 = Resource(attributes: [Attribute("service.name", .string("same"))])
        let scope1 = InstrumentationScope(name: "same")
        let scope2 = InstrumentationScope(name: "same")
        let spans = [
            Fixtures.simple(spanID: 1, resource: resource1, scope: scope1),
            Fixtures.simple(spanID: 2, resource: resource2, scope: scope1),
            Fixtures.simple(spanID: 3, resource: resource1, scope: scope2),
        ]
        let decoded = try roundTrip(spans)
        #expect(decoded.resourceSpans.count == 2)
        #expect(decoded.resourceSpans.map(\.scopeSpans.count) == [2, 1])
    }

    @Test("empty resource, scope and span encode as present, empty messages")
    func emptyMessages() throws {
        let span = SpanData(
            name: "", context: SpanContext(traceID: .invalid, spanID: .invalid, traceFlags: []), parentSpanID: nil,
            kind: .internal, startTimeNanos: 0, endTimeNanos: 0,
            resource: Resource.empty, scope: InstrumentationScope(name: ""))
        let decoded = try roundTrip([span])
        #expect(decoded.resourceSpans.count == 1)
        #expect(decoded.resourceSpans[0].resource == DecodedTraceRequest.Resource(attributes: [], droppedAttributesCount: 0))
        #expect(decoded.resourceSpans[0].scopeSpans.first?.scope == DecodedTraceRequest.Scope(name: "", version: "", attributes: [], droppedAttributesCount: 0))
        #expect(decoded.allSpans == [Fixtures.expected(span)])
        #expect(decoded.allSpans.first?.traceID == Array(repeating: 0, count: 16))
        #expect(decoded.allSpans.first?.flags == 0x100)
    }

    @Test("every NUL byte in every string becomes U+FFFD")
    func nulReplacement() throws {
        let nul = "a\u{0}b\u{0}\u{0}c\u{0}"
        let replaced = "a\u{FFFD}b\u{FFFD}\u{FFFD}c\u{FFFD}"
        let resource = Resource(attributes: [Attribute("r\u{0}", .string(nul))])
        let scope = InstrumentationScope(name: nul, version: "\u{0}", attributes: [Attribute(nul, .stringArray([nul, "\u{0}"]))])
        let span = SpanData(
            name: nul,
            context: SpanContext(traceID: Fixtures.traceID, spanID: Fixtures.spanID, traceFlags: .sampled, traceState: "k=\u{0}v"),
            parentSpanID: nil, kind: .client, startTimeNanos: 1, endTimeNanos: 2,
            attributes: [Attribute(nul, .string(nul)), Attribute("list", .stringArray(["ok", nul]))],
            events: [SpanData.Event(name: nul, timeNanos: 3, attributes: [Attribute("e\u{0}", .string("\u{0}"))])],
            links: [SpanData.Link(
                context: SpanContext(traceID: Fixtures.traceID, spanID: SpanID(7), traceFlags: [], traceState: "\u{0}"),
                attributes: [Attribute("l", .string(nul))])],
            status: .error(message: nul),
            resource: resource, scope: scope)
        let decoded = try roundTrip([span])

        let resourceSpans = try #require(decoded.resourceSpans.first)
        #expect(resourceSpans.resource?.attributes == [DecodedTraceRequest.KeyValue(key: "r\u{FFFD}", value: .string(replaced))])
        let scopeSpans = try #require(resourceSpans.scopeSpans.first)
        #expect(scopeSpans.scope?.name == replaced)
        #expect(scopeSpans.scope?.version == "\u{FFFD}")
        #expect(scopeSpans.scope?.attributes == [
            DecodedTraceRequest.KeyValue(key: replaced, value: .array([.string(replaced), .string("\u{FFFD}")]))
        ])
        let wire = try #require(scopeSpans.spans.first)
        #expect(wire.name == replaced)
        #expect(wire.traceState == "k=\u{FFFD}v")
        #expect(wire.attributes == [
            DecodedTraceRequest.KeyValue(key: replaced, value: .string(replaced)),
            DecodedTraceRequest.KeyValue(key: "list", value: .array([.string("ok"), .string(replaced)])),
        ])
        #expect(wire.events.first?.name == replaced)
        #expect(wire.events.first?.attributes == [DecodedTraceRequest.KeyValue(key: "e\u{FFFD}", value: .string("\u{FFFD}"))])
        #expect(wire.links.first?.traceState == "\u{FFFD}")
        #expect(wire.links.first?.attributes == [DecodedTraceRequest.KeyValue(key: "l", value: .string(replaced))])
        #expect(wire.status == DecodedTraceRequest.Status(code: 2, message: replaced))
    }

    @Test("a string of only NULs, and a long string with a late NUL")
    func nulEdgeCases() throws {
        let long = String(repeating: "y", count: 10_000) + "\u{0}z"
        let span = Fixtures.simple(
            name: "\u{0}",
            attributes: [Attribute("long", .string(long)), Attribute("nuls", .string(String(repeating: "\u{0}", count: 5)))])
        let wire = try #require(try roundTrip([span]).allSpans.first)
        #expect(wire.name == "\u{FFFD}")
        #expect(wire.attributes[0].value == .string(String(repeating: "y", count: 10_000) + "\u{FFFD}z"))
        #expect(wire.attributes[1].value == .string(String(repeating: "\u{FFFD}", count: 5)))
    }

    @Test("dense spans of small scalars stay within the packing bound (checked by an assertion in debug builds)")
    func densePackingBound() throws {
        let scalars: [Attribute] = (0..<500).flatMap { index -> [Attribute] in
            [
                Attribute("", .int(.min)), Attribute("", .int(-1)), Attribute("", .double(-.infinity)),
                Attribute("", .bool(index % 2 == 0)), Attribute("", .string("")),
                Attribute("", .intArray([.min, .min, -1])), Attribute("", .boolArray([true])),
            ]
        }
        var span = Fixtures.simple(attributes: scalars)
        span.droppedAttributesCount = Int(UInt32.max)
        span.startTimeNanos = .max
        span.endTimeNanos = .max
        span.events = (0..<50).map { _ in SpanData.Event(name: "", timeNanos: .max, attributes: [], droppedAttributesCount: Int(UInt32.max)) }
        let empty = Fixtures.simple(name: "", spanID: 0, traceFlags: [])
        let decoded = try roundTrip([span, empty, span])
        #expect(decoded.allSpans == [Fixtures.expected(span), Fixtures.expected(empty), Fixtures.expected(span)])
    }

    @Test("strings of every length up to 80 bytes, with and without a NUL at each position")
    func stringLengths() throws {
        var attributes: [Attribute] = []
        var expected: [DecodedTraceRequest.KeyValue] = []
        for length in 0...80 {
            let plain = String((0..<length).map { Character(UnicodeScalar(UInt8(0x41 + $0 % 26))) })
            attributes.append(Attribute(plain, .string(plain)))
            expected.append(DecodedTraceRequest.KeyValue(key: plain, value: .string(plain)))
            for position in 0..<length {
                var bytes = Array(plain.utf8)
                bytes[position] = 0
                let withNUL = String(decoding: bytes, as: UTF8.self)
                var replaced = Array(plain.utf8)
                replaced.replaceSubrange(position...position, with: [0xEF, 0xBF, 0xBD])
                attributes.append(Attribute("k", .string(withNUL)))
                expected.append(DecodedTraceRequest.KeyValue(key: "k", value: .string(String(decoding: replaced, as: UTF8.self))))
            }
        }
        let wire = try #require(try roundTrip([Fixtures.simple(attributes: attributes)]).allSpans.first)
        #expect(wire.attributes == expected)
    }

    @Test("an empty batch encodes as a valid, empty request")
    func emptyBatch() throws {
        let bytes = OTLPTraceEncoder.encode([])
        #expect(bytes.isEmpty)
        let decoded = try DecodedTraceRequest(decoding: bytes)
        #expect(decoded.resourceSpans.isEmpty)
    }

    @Test("dropped counts beyond UInt32 are clamped")
    func clampedCounts() throws {
        var span = Fixtures.simple()
        span.droppedAttributesCount = Int.max
        span.droppedEventsCount = Int(UInt32.max) + 1
        span.droppedLinksCount = Int(UInt32.max)
        span.events = [SpanData.Event(name: "e", timeNanos: 1, attributes: [], droppedAttributesCount: Int.max)]
        let wire = try #require(try DecodedTraceRequest(decoding: OTLPTraceEncoder.encode([span])).allSpans.first)
        #expect(wire.droppedAttributesCount == .max)
        #expect(wire.droppedEventsCount == .max)
        #expect(wire.droppedLinksCount == .max)
        #expect(wire.events.first?.droppedAttributesCount == .max)
    }

    @Test("a batch of 10k spans decodes with every span in order")
    func largeBatch() throws {
        let other = InstrumentationScope(name: "other")
        let spans = (0..<10_000).map { index in
            Fixtures.simple(
                name: "span-\(index)", spanID: UInt64(index + 1), parent: index % 3 == 0 ? nil : SpanID(UInt64(index)),
                attributes: [
                    Attribute("index", .int(Int64(index))), Attribute("text", .string(String(repeating: "t", count: index % 200))),
                ],
                scope: index % 10 == 0 ? other : Fixtures.scope)
        }
        let bytes = OTLPTraceEncoder.encode(spans)
        let decoded = try DecodedTraceRequest(decoding: bytes)
        #expect(decoded.allSpans.count == 10_000)
        #expect(decoded.resourceSpans.count == 1)
        #expect(decoded.resourceSpans[0].scopeSpans.map(\.spans.count) == [1_000, 9_000])
        let expected = spans.filter { $0.scope === other }.map(Fixtures.expected) + spans.filter { $0.scope !== other }.map(Fixtures.expected)
        #expect(decoded.allSpans == expected)
        #expect(bytes == ReferenceTraceEncoder.encode(spans))
    }

    @Test("attributes recorded by a span are encoded with the limits applied, as SpanData.attributes lists them")
    func recordedAttributesWithLimits() async throws {
        var limits = SpanLimits()
        limits.attributeCountLimit = 4
        limits.attributeValueLengthLimit = 3
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor.simple(exporter: exporter, diagnostics: DiagnosticLogger.disabled)
        let provider = TracerProvider(resource: Fixtures.resource, limits: limits, processors: [processor])
        let tracer = provider.tracer()
        let full = tracer.startSpan("over the limit")
        full.attributes["string"] = "abcdef"
        full.attributes["unicode"] = "日本語です"
        full.attributes["int32s"] = SpanAttribute.int32Array([1, 2])
        full.attributes["strings"] = SpanAttribute.stringArray(["abcd", "", "xy"])
        full.attributes["bool"] = true
        full.attributes["double"] = 1.5
        full.end()
        let few = tracer.startSpan("within the limit")
        few.attributes["short"] = "ab"
        few.end()
        tracer.startSpan("none").end()
        _ = await provider.forceFlush(deadline: .now + .seconds(10))
        let spans = exporter.exported

        let decoded = try roundTrip(spans)
        #expect(decoded.allSpans == spans.map(Fixtures.expected))
        #expect(decoded.allSpans.map(\.attributes.count) == [4, 1, 0])
        #expect(decoded.allSpans.map(\.droppedAttributesCount) == [2, 0, 0])
        for span in spans {
            var visited: [Attribute] = []
            let dropped = span.forEachAttribute { visited.append(Attribute($0, $1)) }
            #expect(visited == span.attributes && dropped == span.droppedAttributesCount)
            #expect(visited.count <= span.attributeCountBound)
        }
    }

    @Test("a workspace reused for batches of different sizes and groupings encodes each as a fresh encoder does")
    func reusedWorkspace() throws {
        let large = (0..<2_000).map { index in
            Fixtures.simple(
                name: "span-\(index)", spanID: UInt64(index + 1),
                attributes: [Attribute("text", .string(String(repeating: "t", count: index % 300)))])
        }
        let grouped = (0..<20).map { index in
            Fixtures.simple(
                spanID: UInt64(index + 1), resource: index % 2 == 0 ? Fixtures.resource : Resource(attributes: []),
                scope: InstrumentationScope(name: "scope \(index % 3)"))
        }
        var workspace = OTLPEncodingWorkspace()
        for batch in [large, [Fixtures.kitchenSink()], [], grouped, large.suffix(3).map { $0 }] {
            OTLPTraceEncoder.encode(batch, into: &workspace)
            #expect(Array(workspace.request.bytes) == ReferenceTraceEncoder.encode(batch))
        }
    }

    @Test("a span larger than the arena's chunk size and many resources encode correctly")
    func largeSpanAndManyGroups() throws {
        let bigAttributes = (0..<2_000).map { Attribute("key.\($0)", .stringArray(["value \($0)", String(repeating: "v", count: 100)])) }
        var spans = [Fixtures.simple(spanID: 1, attributes: bigAttributes)]
        for index in 0..<50 {
            spans.append(
                Fixtures.simple(
                    spanID: UInt64(index + 2), resource: Resource(attributes: [Attribute("n", .int(Int64(index)))]),
                    scope: InstrumentationScope(name: "scope \(index % 7)")))
        }
        spans.append(Fixtures.simple(spanID: 100, attributes: bigAttributes))
        let decoded = try roundTrip(spans)
        #expect(decoded.allSpans.count == spans.count)
        #expect(decoded.resourceSpans.count == 51)
        #expect(decoded.resourceSpans[0].scopeSpans[0].spans == [Fixtures.expected(spans[0]), Fixtures.expected(spans[51])])
    }
}

/// Span kinds without naming `Tracing.SpanKind` (the test target does not depend on Tracing).
private enum SpanKindCase {
    case `internal`, server, client, producer, consumer

    func apply(to span: inout SpanData) {
        switch self {
        case .internal: span.kind = .internal
        case .server: span.kind = .server
        case .client: span.kind = .client
        case .producer: span.kind = .producer
        case .consumer: span.kind = .consumer
        }
    }
}
