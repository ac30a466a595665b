import OTelSDK
import Testing

@testable import OTLPHTTP

/// The log encoder's bytes, decoded by the official OpenTelemetry definitions
/// (`decode_to_json.py --signal logs`: parse errors, unknown fields and non-canonical encodings
/// are rejected), compared field by field with literal values.
@Suite("Wire conformance of log records with the official OTLP definitions", .timeLimit(.minutes(2)))
struct LogWireConformanceTests {
    static let resource = Resource(attributes: [Attribute("service.name", .string("wire\u{0}logs"))])
    static let http = InstrumentationScope(name: "http", version: "2.0")
    static let database = InstrumentationScope(name: "db")
    static let spanContext = SpanContext(
        traceID: TraceID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10), spanID: SpanID(0x1112_1314_1516_1718), traceFlags: .sampled)

    static func batch() -> [LogRecordData] {
        [
            LogRecordData(
                timestampNanos: 1_700_000_000_123_456_789, observedTimestampNanos: 1_700_000_000_223_456_789,
                severityNumber: .info2, severityText: "INFO2", body: .string("order placed ✓"),
                attributes: [
                    Attribute("order.id", .string("42")),
                    Attribute("user", .keyValueList([Attribute("id", .string("u-1")), Attribute("roles", .array([.string("admin"), .int(7)]))])),
                    Attribute("code.line.number", .int(77)),
                    Attribute("empty", .string("")),
                ],
                droppedAttributesCount: 3, spanContext: spanContext, resource: resource, scope: http),
            LogRecordData(
                timestampNanos: 0, observedTimestampNanos: 5, severityNumber: nil, body: nil,
                resource: resource, scope: database),
            LogRecordData(
                timestampNanos: 6, observedTimestampNanos: 7, severityNumber: .fatal, severityText: "FATAL",
                body: .string(""), resource: resource, scope: http),
        ]
    }

    @Test("every field of the records decodes to what they say")
    func literals() async throws {
        let decoded = try await OfficialProtoDecoder.decode(OTLPLogRecordEncoder.encode(Self.batch()), signal: "logs")
        let resources = try #require(decoded["resource_logs"])
        #expect(resources[0]?["resource"]?["attributes"]?[0]?["value"] == ["string_value": "wire\u{FFFD}logs"])
        let scopes = try #require(resources[0]?["scope_logs"])
        #expect(scopes[0]?["scope"]?["name"] == "http")
        #expect(scopes[0]?["scope"]?["version"] == "2.0")
        #expect(scopes[1]?["scope"]?["name"] == "db")
        #expect(scopes[2] == nil)

        let first = try #require(scopes[0]?["log_records"]?[0])
        #expect(first["time_unix_nano"] == "1700000000123456789")
        #expect(first["observed_time_unix_nano"] == "1700000000223456789")
        #expect(first["severity_number"] == "SEVERITY_NUMBER_INFO2")
        #expect(first["severity_text"] == "INFO2")
        #expect(first["body"] == ["string_value": "order placed ✓"])
        #expect(first["trace_id"] == "0102030405060708090a0b0c0d0e0f10")
        #expect(first["span_id"] == "1112131415161718")
        #expect(first["flags"] == 1)
        #expect(first["dropped_attributes_count"] == 3)
        let attributes = try #require(first["attributes"])
        #expect(attributes[0]?["value"] == ["string_value": "42"])
        #expect(attributes[1]?["value"] == ["kvlist_value": ["values": [
            ["key": "id", "value": ["string_value": "u-1"], "key_strindex": 0],
            ["key": "roles", "value": ["array_value": ["values": [["string_value": "admin"], ["int_value": "7"]]]], "key_strindex": 0],
        ]]])
        #expect(attributes[2]?["value"] == ["int_value": "77"])
        #expect(attributes[3]?["value"] == ["string_value": ""])

        let bare = try #require(scopes[1]?["log_records"]?[0])
        #expect(bare["severity_number"] == "SEVERITY_NUMBER_UNSPECIFIED")
        #expect(bare["severity_text"] == "")
        #expect(bare["body"] == nil)
        #expect(bare["trace_id"] == "")
        #expect(bare["flags"] == 0)

        let emptyBody = try #require(scopes[0]?["log_records"]?[1])
        #expect(emptyBody["body"] == ["string_value": ""])
        #expect(emptyBody["severity_number"] == "SEVERITY_NUMBER_FATAL")
    }

    @Test("an empty batch is the empty request")
    func empty() async throws {
        #expect(try await OfficialProtoDecoder.decode(OTLPLogRecordEncoder.encode([]), signal: "logs") == ["resource_logs": []])
    }
}
