import COTLP
import CProtobufC
import OTLPProto
import Testing

@Suite("OTLPDecodedRequest and OTLPSpanIdentity", .timeLimit(.minutes(2)))
struct OTLPDecodedRequestTests {
    static let traceA: [UInt8] = Array(0x00...0x0F)
    static let traceB: [UInt8] = Array(0xF0...0xFF)

    /// An ExportTraceServiceRequest whose spans have the given IDs: one resource per element of `resources`,
    /// one scope each.
    static func traceRequest(_ arena: CMessageArena, resources: [[(traceID: [UInt8], spanID: [UInt8])]]) -> [UInt8] {
        let resourceSpans = resources.map { ids in
            let spans = ids.map { id in
                let span = arena.message(opentelemetry__proto__trace__v1__span__init)
                span.pointee.trace_id = arena.binary(id.traceID)
                span.pointee.span_id = arena.binary(id.spanID)
                span.pointee.name = arena.cString("span")
                return span
            }
            let scope = arena.message(opentelemetry__proto__trace__v1__scope_spans__init)
            scope.pointee.n_spans = spans.count
            scope.pointee.spans = arena.array(spans)
            let resource = arena.message(opentelemetry__proto__trace__v1__resource_spans__init)
            resource.pointee.n_scope_spans = 1
            resource.pointee.scope_spans = arena.array([scope])
            return resource
        }
        let request = arena.message(opentelemetry__proto__collector__trace__v1__export_trace_service_request__init)
        request.pointee.n_resource_spans = resourceSpans.count
        request.pointee.resource_spans = arena.array(resourceSpans)
        return packProtobufC(baseMessage(request))
    }

    @Test("an identity reads the IDs big-endian")
    func identityFromBytes() {
        let identity = OTLPSpanIdentity(traceID: Self.traceA, spanID: [0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7])
        #expect(identity.traceIDHigh == 0x0001_0203_0405_0607)
        #expect(identity.traceIDLow == 0x0809_0A0B_0C0D_0E0F)
        #expect(identity.spanID == 0xA0A1_A2A3_A4A5_A6A7)
        #expect(identity.description == "000102030405060708090a0b0c0d0e0f/a0a1a2a3a4a5a6a7")
        let fromIntegers = OTLPSpanIdentity(
            traceIDHigh: 0x0001_0203_0405_0607,
            traceIDLow: 0x0809_0A0B_0C0D_0E0F,
            spanID: 0xA0A1_A2A3_A4A5_A6A7
        )
        #expect(identity == fromIntegers)
    }

    @Test("IDs of another length are truncated or zero-padded at the end")
    func identityOfInvalidLengths() {
        let short = OTLPSpanIdentity(traceID: [0x01, 0x02], spanID: [])
        #expect(short == OTLPSpanIdentity(traceIDHigh: 0x0102_0000_0000_0000, traceIDLow: 0, spanID: 0))
        let long = OTLPSpanIdentity(traceID: Self.traceA + [0xEE], spanID: [UInt8](repeating: 0x11, count: 9))
        #expect(long == OTLPSpanIdentity(traceID: Self.traceA, spanID: [UInt8](repeating: 0x11, count: 8)))
    }

    @Test("traces: the summary and each span's identity in request order, duplicates included")
    func traces() throws {
        let arena = CMessageArena()
        let one: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 1]
        let two: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 2]
        let bytes = Self.traceRequest(
            arena,
            resources: [
                [(Self.traceA, one), (Self.traceA, two)],
                [(Self.traceB, one), (Self.traceA, one)],
            ]
        )
        let decoded = try OTLPDecodedRequest.decode(.traces, protobuf: bytes)
        #expect(decoded.summary == OTLPRequestSummary(resources: 2, items: 4, metrics: 0))
        #expect(decoded.summary == (try OTLPRequestSummary.decode(.traces, protobuf: bytes)))
        #expect(
            decoded.spans == [
                OTLPSpanIdentity(traceID: Self.traceA, spanID: one),
                OTLPSpanIdentity(traceID: Self.traceA, spanID: two),
                OTLPSpanIdentity(traceID: Self.traceB, spanID: one),
                OTLPSpanIdentity(traceID: Self.traceA, spanID: one),
            ]
        )
        #expect(Set(decoded.spans).count == 3)
    }

    @Test("spans without IDs read as zeroes")
    func missingIDs() throws {
        // ExportTraceServiceRequest { resource_spans { scope_spans { spans {} spans {} } } }
        let bytes: [UInt8] = [0x0A, 0x06, 0x12, 0x04, 0x12, 0x00, 0x12, 0x00]
        let decoded = try OTLPDecodedRequest.decode(.traces, protobuf: bytes)
        let zero = OTLPSpanIdentity(traceIDHigh: 0, traceIDLow: 0, spanID: 0)
        #expect(decoded.summary == OTLPRequestSummary(resources: 1, items: 2, metrics: 0))
        #expect(decoded.spans == [zero, zero])
    }

    @Test("metrics and logs: the summary only")
    func otherSignals() throws {
        let arena = CMessageArena()
        let record = arena.message(opentelemetry__proto__logs__v1__log_record__init)
        record.pointee.trace_id = arena.binary(Self.traceA)
        let scope = arena.message(opentelemetry__proto__logs__v1__scope_logs__init)
        scope.pointee.n_log_records = 1
        scope.pointee.log_records = arena.array([record])
        let resource = arena.message(opentelemetry__proto__logs__v1__resource_logs__init)
        resource.pointee.n_scope_logs = 1
        resource.pointee.scope_logs = arena.array([scope])
        let request = arena.message(opentelemetry__proto__collector__logs__v1__export_logs_service_request__init)
        request.pointee.n_resource_logs = 1
        request.pointee.resource_logs = arena.array([resource])
        let logs = try OTLPDecodedRequest.decode(.logs, protobuf: packProtobufC(baseMessage(request)))
        #expect(logs == OTLPDecodedRequest(summary: OTLPRequestSummary(resources: 1, items: 1, metrics: 0), spans: []))
        #expect(try OTLPDecodedRequest.decode(.metrics, protobuf: []).spans.isEmpty)
    }

    @Test("malformed bytes throw", arguments: OTLPSignal.allCases)
    func malformed(signal: OTLPSignal) {
        let bytes: [UInt8] = [0x0A, 0x06, 0x12, 0x04]
        let error = #expect(throws: OTLPDecodingError.self) { try OTLPDecodedRequest.decode(signal, protobuf: bytes) }
        #expect(error?.byteCount == bytes.count)
    }
}
