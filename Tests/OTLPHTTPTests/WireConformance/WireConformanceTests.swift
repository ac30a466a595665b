import OTelSDK
import Testing

@testable import OTLPHTTP

/// The encoder's bytes, decoded by the official OpenTelemetry protobuf definitions (Python
/// `opentelemetry-proto`, through `Tests/Conformance/decode_to_json.py`), must say exactly what the
/// spans say: every field of every message is compared, and the script rejects parse errors,
/// unknown fields and non-canonical encodings.
@Suite("Wire conformance with the official OTLP definitions", .timeLimit(.minutes(2)))
struct WireConformanceTests {
    typealias Fixtures = WireConformanceFixtures

    @Test("every field of a rich batch decodes to what the spans say")
    func richBatch() async throws {
        try await expectEveryField(of: Fixtures.batch())
    }

    @Test("large messages: multi-byte length prefixes, growing buffers")
    func largeBatch() async throws {
        try await expectEveryField(of: Fixtures.largeBatch())
    }

    /// Literal values, so that a mistake shared by `ExpectedTraceJSON` and the encoder cannot hide.
    @Test("spot checks against literal values")
    func literals() async throws {
        let decoded = try await OfficialProtoDecoder.decode(OTLPTraceEncoder.encode(Fixtures.batch()))
        let resources = try #require(decoded["resource_spans"])
        func spans(_ resource: Int, _ scope: Int) -> JSONValue? {
            resources[resource]?["scope_spans"]?[scope]?["spans"]
        }

        // Grouping: [kitchenSink, localChild] [root] | [producer] [consumer] [bare]
        #expect(count(resources) == 2)
        #expect(count(resources[0]?["scope_spans"]) == 2)
        #expect(count(resources[1]?["scope_spans"]) == 3)
        #expect(spans(0, 0)?[0]?["name"] == "GET /users/{id} ✓ 日本語")
        #expect(spans(0, 0)?[1]?["name"] == "client call")
        #expect(spans(0, 1)?[0]?["name"] == "root \u{FFFD} ok")
        #expect(resources[1]?["scope_spans"]?[0]?["scope"]?["name"] == "com.example.http")
        #expect(resources[1]?["scope_spans"]?[2]?["scope"] == [
            "name": "bare\u{FFFD}scope", "version": "", "attributes": [], "dropped_attributes_count": 0,
        ])

        let server = try #require(spans(0, 0)?[0])
        #expect(server["trace_id"] == "0102030405060708090a0b0c0d0e0f10")
        #expect(server["span_id"] == "1112131415161718")
        #expect(server["parent_span_id"] == "2122232425262728")
        #expect(server["trace_state"] == "vendor=abc,other=x=y")
        #expect(server["flags"] == 0x301)
        #expect(server["kind"] == "SPAN_KIND_SERVER")
        #expect(server["start_time_unix_nano"] == "1700000000123456789")
        #expect(server["end_time_unix_nano"] == "1700000001987654321")
        #expect(server["status"] == ["code": "STATUS_CODE_ERROR", "message": "boom ✗"])
        #expect(server["dropped_attributes_count"] == 3)
        #expect(server["dropped_events_count"] == 4)
        #expect(server["dropped_links_count"] == 5)
        #expect(server["events"]?[2]?["time_unix_nano"] == "18446744073709551615")
        #expect(server["events"]?[0]?["dropped_attributes_count"] == 2)
        #expect(server["links"]?[0]?["flags"] == 0x300)
        #expect(server["links"]?[1]?["flags"] == 0x101)
        #expect(server["links"]?[0]?["trace_id"] == "ffffffffffffffff0000000000000001")
        #expect(server["links"]?[0]?["span_id"] == "00000000000000ab")
        #expect(server["links"]?[0]?["trace_state"] == "k=v")
        let attributes = server["attributes"]
        #expect(value("string", in: attributes) == ["string_value": "value"])
        #expect(value("", in: attributes) == ["string_value": "empty key"])
        #expect(value("bool.false", in: attributes) == ["bool_value": .bool(false)])
        #expect(value("int.min", in: attributes) == ["int_value": "-9223372036854775808"])
        #expect(value("double.pi", in: attributes) == ["double_value": .number(3.141592653589793)])
        #expect(value("double.negative.zero", in: attributes) == ["double_value": .number(-0.0)])
        #expect(value("double.tiny", in: attributes) == ["double_value": .number(.leastNonzeroMagnitude)])
        #expect(value("double.nan", in: attributes) == ["double_value": "NaN"])
        #expect(value("double.infinity", in: attributes) == ["double_value": "-Infinity"])
        #expect(value("strings.empty", in: attributes) == ["array_value": ["values": []]])
        #expect(value("ints", in: attributes)?["array_value"]?["values"]?[4] == ["int_value": "-9223372036854775808"])
        #expect(value("doubles", in: attributes)?["array_value"]?["values"]?[3] == ["double_value": "Infinity"])

        let root = try #require(spans(0, 1)?[0])
        #expect(root["parent_span_id"] == "")
        #expect(root["flags"] == 0x100)  // not sampled; a root is never "remote"
        #expect(root["kind"] == "SPAN_KIND_INTERNAL")
        #expect(root["status"] == ["code": "STATUS_CODE_OK", "message": ""])
        #expect(value("nul", in: root["attributes"]) == ["string_value": "nul\u{FFFD}inside"])

        let client = try #require(spans(0, 0)?[1])
        #expect(client["kind"] == "SPAN_KIND_CLIENT")
        #expect(client["flags"] == 0x101)  // local parent
        #expect(client["status"] == nil)
        #expect(client["events"]?[0]?["name"] == "retry\u{FFFD}1")
        #expect(value("nul.twice", in: client["attributes"]) == ["string_value": "\u{FFFD}\u{FFFD}"])
        #expect(value("nul.last.of.eight", in: client["attributes"]) == ["string_value": "1234567\u{FFFD}"])
        #expect(value("nul.in.long", in: client["attributes"]) == [
            "string_value": .string(String(repeating: "ü", count: 100) + "\u{FFFD}end")
        ])

        let producer = try #require(spans(1, 0)?[0])
        #expect(producer["kind"] == "SPAN_KIND_PRODUCER")
        #expect(producer["trace_id"] == "fedcba98765432100000000000000001")
        #expect(producer["flags"] == 0x103)
        #expect(producer["trace_state"] == "congo=t61rcWkgMzE")
        #expect(producer["dropped_attributes_count"] == 4_294_967_295)  // clamped
        #expect(producer["dropped_events_count"] == 4_294_967_295)
        #expect(producer["links"]?[0]?["flags"] == 0x102)
        #expect(producer["links"]?[0]?["dropped_attributes_count"] == 4_294_967_295)
        #expect(producer["links"]?[1]?["flags"] == 0x301)
        #expect(value("nul\u{FFFD}", in: producer["links"]?[0]?["attributes"]) == [
            "array_value": ["values": [["string_value": "nul\u{FFFD}inside"]]]
        ])

        let consumer = try #require(spans(1, 1)?[0])
        #expect(consumer["kind"] == "SPAN_KIND_CONSUMER")
        #expect(consumer["name"] == "consume\u{FFFD}")
        #expect(consumer["flags"] == 0x301)  // remote parent
        #expect(consumer["status"] == ["code": "STATUS_CODE_ERROR", "message": "failed: \u{FFFD}"])

        #expect(spans(1, 2)?[0]?["status"] == ["code": "STATUS_CODE_ERROR", "message": ""])

        let resource = try #require(resources[1]?["resource"])
        #expect(value("key\u{FFFD}with.nul", in: resource["attributes"]) == ["string_value": "nul\u{FFFD}inside"])
        #expect(value("switches", in: resource["attributes"]) == ["array_value": ["values": []]])
    }

    @Test("an empty batch is the empty request")
    func emptyBatch() async throws {
        #expect(try await OfficialProtoDecoder.decode(OTLPTraceEncoder.encode([])) == ["resource_spans": []])
    }

    /// The check itself: bytes the official definitions do not accept as they are must fail it.
    @Test("the official decoding rejects unknown fields, non-canonical and truncated bytes")
    func rejects() async throws {
        let valid = OTLPTraceEncoder.encode([Fixtures.bare()])
        let cases: [(bytes: [UInt8], reason: String)] = [
            (valid + [0x98, 0x06, 0x01], "unknown field"),  // field 99 (varint 1) of ExportTraceServiceRequest
            (valid + [0x0A, 0x02, 0x1A, 0x00], "not the canonical encoding"),  // a ResourceSpans with schema_url ""
            (Array(valid.dropLast()), "cannot parse"),
        ]
        for (bytes, reason) in cases {
            let failure = await #expect(throws: OfficialProtoDecoder.Failure.self) { try await OfficialProtoDecoder.decode(bytes) }
            #expect(failure?.description.contains(reason) == true, "\(failure.map(String.init(describing:)) ?? "")")
        }
    }

    /// Encodes `spans`, decodes the bytes officially and records every difference from `ExpectedTraceJSON`.
    private func expectEveryField(of spans: [SpanData], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let decoded = try await OfficialProtoDecoder.decode(OTLPTraceEncoder.encode(spans))
        let differences = JSONValue.differences(expected: ExpectedTraceJSON.request(spans), actual: decoded)
        let shown = 100
        for difference in differences.prefix(shown) {
            Issue.record("official decoding differs: \(difference)", sourceLocation: sourceLocation)
        }
        if differences.count > shown {
            Issue.record("\(differences.count - shown) more differences not shown", sourceLocation: sourceLocation)
        }
    }

    private func count(_ array: JSONValue?) -> Int? {
        if case .array(let elements) = array { elements.count } else { nil }
    }

    /// The `value` of the attribute with `key` in a JSON `attributes` array.
    private func value(_ key: String, in attributes: JSONValue?) -> JSONValue? {
        guard case .array(let keyValues) = attributes else { return nil }
        return keyValues.first { $0["key"] == .string(key) }?["value"]
    }
}
