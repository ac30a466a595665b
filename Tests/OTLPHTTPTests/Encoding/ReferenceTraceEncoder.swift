import COTLP
import OTLPProto
import OTelSDK

@testable import OTLPHTTP

/// A reference for `OTLPTraceEncoder`: the same spans packed the textbook way, as one
/// `ExportTraceServiceRequest` struct tree handed to libprotobuf-c in a single pack call.
/// The production encoder packs span by span and writes the outer framing itself; its output
/// must be byte-identical to this. Also used by the throughput test for comparison.
enum ReferenceTraceEncoder {
    typealias PB = OTLPProtobufC

    static func encode(_ spans: [SpanData]) -> [UInt8] {
        guard !spans.isEmpty else { return [] }
        let groups = OTLPRequestEncoder.group(spans)
        var builder = OTLPMessageBuilder(arena: ProtobufCArena(initialCapacity: spans.count * 1024 + 4096, minimumChunkSize: 1 << 20))

        var request = PB.ExportTraceServiceRequest()
        opentelemetry__proto__collector__trace__v1__export_trace_service_request__init(&request)
        var resourceSpansTemplate = PB.ResourceSpans()
        opentelemetry__proto__trace__v1__resource_spans__init(&resourceSpansTemplate)
        var scopeSpansTemplate = PB.ScopeSpans()
        opentelemetry__proto__trace__v1__scope_spans__init(&scopeSpansTemplate)

        let resourceSpansPointers = builder.arena.allocate(UnsafeMutablePointer<PB.ResourceSpans>?.self, count: groups.count)
        for (r, resourceGroup) in groups.enumerated() {
            var resourceSpans = resourceSpansTemplate
            resourceSpans.resource = builder.resource(resourceGroup.resource)
            let scopePointers = builder.arena.allocate(UnsafeMutablePointer<PB.ScopeSpans>?.self, count: resourceGroup.scopes.count)
            for (s, scopeGroup) in resourceGroup.scopes.enumerated() {
                var scopeSpans = scopeSpansTemplate
                scopeSpans.scope = builder.scope(scopeGroup.scope)
                let spanPointers = builder.arena.allocate(UnsafeMutablePointer<PB.Span>?.self, count: scopeGroup.itemIndices.count)
                for (i, index) in scopeGroup.itemIndices.enumerated() {
                    (spanPointers + i).initialize(to: builder.span(spans[index]))
                }
                scopeSpans.n_spans = scopeGroup.itemIndices.count
                scopeSpans.spans = spanPointers
                (scopePointers + s).initialize(to: builder.place(scopeSpans))
            }
            resourceSpans.n_scope_spans = resourceGroup.scopes.count
            resourceSpans.scope_spans = scopePointers
            (resourceSpansPointers + r).initialize(to: builder.place(resourceSpans))
        }
        request.n_resource_spans = groups.count
        request.resource_spans = resourceSpansPointers
        let requestPointer = builder.place(request)
        let size = opentelemetry__proto__collector__trace__v1__export_trace_service_request__get_packed_size(requestPointer)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = opentelemetry__proto__collector__trace__v1__export_trace_service_request__pack(requestPointer, buffer.baseAddress!)
        }
    }
}
