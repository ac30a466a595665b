import Dispatch
import Foundation
import OTelSDK
import OTelTesting
import ServiceContextModule
import Tracing
import Testing

@Suite("Tracer and spans", .timeLimit(.minutes(2)))
struct TracerTests {
    private func makeProvider(
        sampler: any Sampler = AlwaysOnSampler(),
        limits: SpanLimits = SpanLimits()
    ) -> (TracerProvider, InMemorySpanExporter) {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor.simple(exporter: exporter, diagnostics: DiagnosticLogger.disabled)
        return (TracerProvider(resource: Fixtures.resource, sampler: sampler, limits: limits, processors: [processor]), exporter)
    }

    private func flushed(_ provider: TracerProvider) async -> FlushResult {
        await provider.forceFlush(deadline: Fixtures.deadline(.seconds(10)))
    }

    @Test("withSpan records nested spans with parent links, kinds, attributes of every type and status")
    func nestedSpans() async throws {
        let (provider, exporter) = makeProvider()
        let tracer = provider.tracer(name: "my-lib", version: "1.2")
        tracer.withSpan("parent", ofKind: .server) { parent in
            parent.attributes["string"] = "value"
            parent.attributes["int"] = 42
            parent.attributes["int32"] = SpanAttribute.int32(7)
            parent.attributes["double"] = 2.5
            parent.attributes["bool"] = true
            parent.attributes["strings"] = ["a", "b"]
            parent.attributes["ints"] = SpanAttribute.int64Array([1, 2])
            parent.attributes["doubles"] = SpanAttribute.doubleArray([1.5])
            parent.attributes["bools"] = SpanAttribute.boolArray([true, false])
            parent.setStatus(SpanStatus(code: .error, message: "boom"))
            tracer.withSpan("child", ofKind: .client) { child in
                child.addEvent(SpanEvent(name: "retry", attributes: ["attempt": 2]))
            }
        }
        #expect(await flushed(provider).outcome == .ok)
        let spans = exporter.exported
        let parent = try #require(spans.first { $0.name == "parent" })
        let child = try #require(spans.first { $0.name == "child" })
        #expect(child.context.traceID == parent.context.traceID)
        #expect(child.parentSpanID == parent.context.spanID)
        #expect(parent.parentSpanID == nil)
        #expect(parent.kind == .server && child.kind == .client)
        #expect(parent.status == .error(message: "boom"))
        #expect(parent.scope.name == "my-lib" && parent.scope.version == "1.2")
        #expect(parent.resource === Fixtures.resource)
        let attributes = Dictionary(uniqueKeysWithValues: parent.attributes.map { ($0.key, $0.value) })
        #expect(attributes == [
            "string": .string("value"), "int": .int(42), "int32": .int(7), "double": .double(2.5), "bool": .bool(true),
            "strings": .stringArray(["a", "b"]), "ints": .intArray([1, 2]), "doubles": .doubleArray([1.5]), "bools": .boolArray([true, false]),
        ])
        #expect(child.events.map(\.name) == ["retry"])
        #expect(child.events.first?.attributes == [Attribute("attempt", .int(2))])
        #expect(parent.startTimeNanos <= child.startTimeNanos && child.endTimeNanos <= parent.endTimeNanos)
    }

    @Test("a thrown error becomes an exception event and the span still ends once")
    func recordError() async throws {
        struct Failure: Error, CustomStringConvertible { var description: String { "database down" } }
        let (provider, exporter) = makeProvider()
        let tracer = provider.tracer()
        #expect(throws: Failure.self) {
            try tracer.withSpan("failing") { _ in throw Failure() }
        }
        _ = await flushed(provider)
        let span = try #require(exporter.exported.first)
        let event = try #require(span.events.first)
        #expect(event.name == "exception")
        #expect(event.attributes.contains(Attribute("exception.message", .string("database down"))))
        #expect(event.attributes.contains { $0.key == "exception.type" && $0.value.description.contains("Failure") })
    }

    @Test("end is effective once; later mutations are ignored")
    func endExactlyOnce() async {
        let (provider, exporter) = makeProvider()
        let span = provider.tracer().startSpan("once")
        span.end()
        span.end()
        span.attributes["late"] = "ignored"
        #expect(!span.isRecording)
        _ = await flushed(provider)
        #expect(exporter.exported.count == 1)
        #expect(exporter.exported.first?.attributes.isEmpty == true)
    }

    @Test("an attribute's description may read its span: end does not call it under the span's lock")
    func descriptionReadsSpan() async throws {
        let (provider, exporter) = makeProvider()
        let span = provider.tracer().startSpan("self-describing")
        let peek = SpanPeek(span)
        span.attributes["peek"] = SpanAttribute.stringConvertible(peek)
        span.attributes["other"] = "x"
        let ended = DispatchSemaphore(value: 0)
        // On a thread of its own: with the description called under the lock, `end` spins forever.
        Thread {
            span.end()
            ended.signal()
        }.start()
        try #require(ended.wait(timeout: .now() + 10) == .success, "end() did not return: the description waits for the span's lock")
        _ = await flushed(provider)
        #expect(exporter.exported.first?.attributes.first { $0.key == "peek" }?.value == .string("a span with 2 attributes"))
    }

    @Test("limits drop what exceeds them and count it")
    func limits() async throws {
        var limits = SpanLimits()
        limits.attributeCountLimit = 2
        limits.attributeValueLengthLimit = 3
        limits.eventCountLimit = 1
        limits.linkCountLimit = 1
        let (provider, exporter) = makeProvider(limits: limits)
        let tracer = provider.tracer()
        let linked = tracer.startSpan("linked")
        linked.end()
        let span = tracer.startSpan("limited")
        span.attributes["a"] = "abcdef"
        span.attributes["b"] = "b"
        span.attributes["c"] = "c"
        span.addEvent("one")
        span.addEvent("two")
        span.addLink(SpanLink(context: linked.context, attributes: [:]))
        span.addLink(SpanLink(context: linked.context, attributes: [:]))
        span.end()
        _ = await flushed(provider)
        let data = try #require(exporter.exported.first { $0.name == "limited" })
        #expect(data.attributes.count == 2)
        #expect(data.droppedAttributesCount == 1)
        var visited: [Attribute] = []
        let dropped = data.forEachAttribute { visited.append(Attribute($0, $1)) }
        #expect(visited == data.attributes && dropped == 1 && data.attributeCountBound >= visited.count)
        #expect(data.attributes.allSatisfy { $0.value.description.count <= 3 })
        #expect(data.events.count == 1 && data.droppedEventsCount == 1)
        #expect(data.links.count == 1 && data.droppedLinksCount == 1)
        #expect(data.links.first?.context.spanID == linked.spanContext.spanID)
    }

    @Test("a dropped span is not recording, is not exported, and still propagates its trace")
    func droppedSpans() async {
        let (provider, exporter) = makeProvider(sampler: AlwaysOffSampler())
        let span = provider.tracer().startSpan("dropped")
        #expect(!span.isRecording)
        #expect(span.context.spanContext?.isSampled == false)
        #expect(span.context.spanContext?.isValid == true)
        span.end()
        _ = await flushed(provider)
        #expect(exporter.exported.isEmpty)
    }

    @Test("parent-based sampling follows a remote parent's flag")
    func parentBasedSampling() async {
        let (provider, exporter) = makeProvider(sampler: ParentBasedSampler(root: AlwaysOnSampler()))
        let tracer = provider.tracer()
        var unsampled = ServiceContext.topLevel
        unsampled.spanContext = SpanContext(traceID: TraceID(high: 9, low: 9), spanID: SpanID(9), traceFlags: [], isRemote: true)
        tracer.startSpan("child-of-unsampled", context: unsampled).end()
        var sampled = ServiceContext.topLevel
        sampled.spanContext = SpanContext(traceID: TraceID(high: 8, low: 8), spanID: SpanID(8), traceFlags: .sampled, isRemote: true)
        tracer.startSpan("child-of-sampled", context: sampled).end()
        _ = await flushed(provider)
        #expect(exporter.exported.map(\.name) == ["child-of-sampled"])
        #expect(exporter.exported.first?.parentIsRemote == true)
        #expect(exporter.exported.first?.context.traceID == TraceID(high: 8, low: 8))
    }

    @Test("the tracer injects and extracts W3C trace context as an Instrument")
    func instrumentPropagation() {
        let (provider, _) = makeProvider()
        let tracer = provider.tracer()
        let span = tracer.startSpan("outgoing")
        var headers: [String: String] = [:]
        tracer.inject(span.context, into: &headers, using: DictionaryInjector())
        #expect(headers["traceparent"] == "00-\(span.spanContext.traceID.hex)-\(span.spanContext.spanID.hex)-01")
        var extracted = ServiceContext.topLevel
        tracer.extract(headers, into: &extracted, using: DictionaryExtractor())
        #expect(extracted.spanContext?.traceID == span.spanContext.traceID)
        #expect(extracted.spanContext?.isRemote == true)
        span.end()
    }

    @Test("IDs are unique and valid")
    func idGeneration() {
        let generator = RandomIDGenerator()
        var spanIDs = Set<SpanID>()
        var traceIDs = Set<TraceID>()
        for _ in 0..<10_000 {
            spanIDs.insert(generator.newSpanID())
            traceIDs.insert(generator.newTraceID())
        }
        #expect(spanIDs.count == 10_000 && traceIDs.count == 10_000)
        #expect(spanIDs.allSatisfy(\.isValid) && traceIDs.allSatisfy(\.isValid))
    }
}

struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}

struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier.first { $0.key.lowercased() == key }?.value
    }
}

/// A value whose description reads the span it is an attribute of.
private final class SpanPeek: CustomStringConvertible, Sendable {
    private let span: any Span

    init(_ span: any Span) {
        self.span = span
    }

    var description: String { "a span with \(span.attributes.count) attributes" }
}
