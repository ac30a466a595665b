import COTLP
import CProtobufC
import OTLPProto
import Testing

@Suite("OTLPSpanOutline", .timeLimit(.minutes(2)))
struct OTLPSpanOutlineTests {
    @Test("IDs, parent, name, kind, links, scalar attributes and status of each span, in request order")
    func outline() throws {
        let arena = CMessageArena()
        func attribute(_ key: String, _ set: (inout Opentelemetry__Proto__Common__V1__AnyValue) -> Void) -> UnsafeMutablePointer<Opentelemetry__Proto__Common__V1__KeyValue> {
            let value = arena.message(opentelemetry__proto__common__v1__any_value__init)
            set(&value.pointee)
            let keyValue = arena.message(opentelemetry__proto__common__v1__key_value__init)
            keyValue.pointee.key = arena.cString(key)
            keyValue.pointee.value = value
            return keyValue
        }
        let link = arena.message(opentelemetry__proto__trace__v1__span__link__init)
        link.pointee.trace_id = arena.binary(Array(0x10...0x1F))
        link.pointee.span_id = arena.binary([0, 0, 0, 0, 0, 0, 0, 0x2A])
        link.pointee.flags = 0x300
        let status = arena.message(opentelemetry__proto__trace__v1__status__init)
        status.pointee.code = OPENTELEMETRY__PROTO__TRACE__V1__STATUS__STATUS_CODE__STATUS_CODE_ERROR
        let server = arena.message(opentelemetry__proto__trace__v1__span__init)
        server.pointee.trace_id = arena.binary(Array(0x00...0x0F))
        server.pointee.span_id = arena.binary([0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7])
        server.pointee.parent_span_id = arena.binary([0, 0, 0, 0, 0, 0, 0, 1])
        server.pointee.name = arena.cString("orders")
        server.pointee.kind = OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_SERVER
        server.pointee.n_links = 1
        server.pointee.links = arena.array([link])
        let attributes = [
            attribute("faas.trigger") {
                $0.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_STRING_VALUE
                $0.string_value = arena.cString("http")
            },
            attribute("http.response.status_code") {
                $0.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_INT_VALUE
                $0.int_value = 503
            },
            attribute("faas.coldstart") {
                $0.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BOOL_VALUE
                $0.bool_value = 1
            },
        ]
        server.pointee.n_attributes = attributes.count
        server.pointee.attributes = arena.array(attributes)
        server.pointee.status = status
        let root = arena.message(opentelemetry__proto__trace__v1__span__init)
        root.pointee.name = arena.cString("root")
        let scope = arena.message(opentelemetry__proto__trace__v1__scope_spans__init)
        scope.pointee.n_spans = 2
        scope.pointee.spans = arena.array([server, root])
        let resource = arena.message(opentelemetry__proto__trace__v1__resource_spans__init)
        resource.pointee.n_scope_spans = 1
        resource.pointee.scope_spans = arena.array([scope])
        let request = arena.message(opentelemetry__proto__collector__trace__v1__export_trace_service_request__init)
        request.pointee.n_resource_spans = 1
        request.pointee.resource_spans = arena.array([resource])

        let spans = try OTLPSpanOutline.decode(protobuf: packProtobufC(baseMessage(request)))
        #expect(spans.count == 2)
        let first = try #require(spans.first)
        #expect(first.traceID == "000102030405060708090a0b0c0d0e0f")
        #expect(first.spanID == "a0a1a2a3a4a5a6a7")
        #expect(first.parentSpanID == "0000000000000001")
        #expect(first.name == "orders" && first.kind == 2 && first.statusCode == 2)
        #expect(first.links == [.init(traceID: "101112131415161718191a1b1c1d1e1f", spanID: "000000000000002a", traceFlags: 0)])
        #expect(first.attributes == ["faas.trigger": "http", "http.response.status_code": "503", "faas.coldstart": "true"])
        #expect(spans[1].name == "root" && spans[1].parentSpanID.isEmpty && spans[1].links.isEmpty && spans[1].statusCode == 0)
        #expect(throws: OTLPDecodingError.self) { try OTLPSpanOutline.decode(protobuf: [0xFF, 0xFF]) }
    }
}
