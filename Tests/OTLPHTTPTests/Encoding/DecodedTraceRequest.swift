import COTLP
import OTelSDK

/// An `ExportTraceServiceRequest` decoded by libprotobuf-c and copied into plain Swift values,
/// so that tests can compare whole messages with `==`.
///
/// Strings are read as UTF-8 (invalid UTF-8 is reported as a recognizable marker), doubles are
/// kept as bit patterns so that `-0.0` and NaN compare exactly, and optional submessages stay
/// optional so that "absent" and "present but empty" are told apart.
struct DecodedTraceRequest: Equatable {
    var resourceSpans: [ResourceSpans]

    struct ResourceSpans: Equatable {
        var resource: Resource?
        var scopeSpans: [ScopeSpans]
        var schemaURL: String
    }

    struct Resource: Equatable {
        var attributes: [KeyValue]
        var droppedAttributesCount: UInt32
    }

    struct ScopeSpans: Equatable {
        var scope: Scope?
        var spans: [Span]
        var schemaURL: String
    }

    struct Scope: Equatable {
        var name: String
        var version: String
        var attributes: [KeyValue]
        var droppedAttributesCount: UInt32
    }

    struct Span: Equatable {
        var traceID: [UInt8]
        var spanID: [UInt8]
        var traceState: String
        var parentSpanID: [UInt8]
        var flags: UInt32
        var name: String
        var kind: UInt32
        var startTimeUnixNano: UInt64
        var endTimeUnixNano: UInt64
        var attributes: [KeyValue]
        var droppedAttributesCount: UInt32
        var events: [Event]
        var droppedEventsCount: UInt32
        var links: [Link]
        var droppedLinksCount: UInt32
        var status: Status?
    }

    struct Event: Equatable {
        var timeUnixNano: UInt64
        var name: String
        var attributes: [KeyValue]
        var droppedAttributesCount: UInt32
    }

    struct Link: Equatable {
        var traceID: [UInt8]
        var spanID: [UInt8]
        var traceState: String
        var attributes: [KeyValue]
        var droppedAttributesCount: UInt32
        var flags: UInt32
    }

    struct Status: Equatable {
        var code: UInt32
        var message: String
    }

    struct KeyValue: Equatable {
        var key: String
        var value: Value?
    }

    indirect enum Value: Equatable {
        case string(String)
        case bool(Bool)
        case int(Int64)
        /// The bit pattern of a double.
        case double(UInt64)
        case array([Value]?)
        /// Any other `value_case` (kvlist, bytes, not set), by number.
        case other(UInt32)
    }

    struct DecodingFailed: Error {}

    init(resourceSpans: [ResourceSpans]) {
        self.resourceSpans = resourceSpans
    }

    /// Decodes `bytes` with `opentelemetry__proto__collector__trace__v1__export_trace_service_request__unpack`.
    init(decoding bytes: [UInt8]) throws {
        let message = bytes.withUnsafeBufferPointer { buffer in
            var zero: UInt8 = 0
            return withUnsafePointer(to: &zero) { fallback in
                opentelemetry__proto__collector__trace__v1__export_trace_service_request__unpack(
                    nil, buffer.count, buffer.baseAddress ?? fallback)
            }
        }
        guard let message else { throw DecodingFailed() }
        defer { opentelemetry__proto__collector__trace__v1__export_trace_service_request__free_unpacked(message, nil) }
        resourceSpans = Self.array(message.pointee.resource_spans, message.pointee.n_resource_spans) { resourceSpans in
            ResourceSpans(
                resource: resourceSpans.resource.map { resource in
                    Resource(
                        attributes: Self.keyValues(resource.pointee.attributes, resource.pointee.n_attributes),
                        droppedAttributesCount: resource.pointee.dropped_attributes_count)
                },
                scopeSpans: Self.array(resourceSpans.scope_spans, resourceSpans.n_scope_spans) { scopeSpans in
                    ScopeSpans(
                        scope: scopeSpans.scope.map { scope in
                            Scope(
                                name: Self.string(scope.pointee.name),
                                version: Self.string(scope.pointee.version),
                                attributes: Self.keyValues(scope.pointee.attributes, scope.pointee.n_attributes),
                                droppedAttributesCount: scope.pointee.dropped_attributes_count)
                        },
                        spans: Self.array(scopeSpans.spans, scopeSpans.n_spans, Self.span),
                        schemaURL: Self.string(scopeSpans.schema_url))
                },
                schemaURL: Self.string(resourceSpans.schema_url))
        }
    }

    /// All spans, in wire order.
    var allSpans: [Span] {
        resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) }
    }

    private static func span(_ span: Opentelemetry__Proto__Trace__V1__Span) -> Span {
        Span(
            traceID: bytes(span.trace_id),
            spanID: bytes(span.span_id),
            traceState: string(span.trace_state),
            parentSpanID: bytes(span.parent_span_id),
            flags: span.flags,
            name: string(span.name),
            kind: span.kind.rawValue,
            startTimeUnixNano: span.start_time_unix_nano,
            endTimeUnixNano: span.end_time_unix_nano,
            attributes: keyValues(span.attributes, span.n_attributes),
            droppedAttributesCount: span.dropped_attributes_count,
            events: array(span.events, span.n_events) { event in
                Event(
                    timeUnixNano: event.time_unix_nano,
                    name: string(event.name),
                    attributes: keyValues(event.attributes, event.n_attributes),
                    droppedAttributesCount: event.dropped_attributes_count)
            },
            droppedEventsCount: span.dropped_events_count,
            links: array(span.links, span.n_links) { link in
                Link(
                    traceID: bytes(link.trace_id),
                    spanID: bytes(link.span_id),
                    traceState: string(link.trace_state),
                    attributes: keyValues(link.attributes, link.n_attributes),
                    droppedAttributesCount: link.dropped_attributes_count,
                    flags: link.flags)
            },
            droppedLinksCount: span.dropped_links_count,
            status: span.status.map { Status(code: $0.pointee.code.rawValue, message: string($0.pointee.message)) })
    }

    private static func keyValues(
        _ pointers: UnsafeMutablePointer<UnsafeMutablePointer<Opentelemetry__Proto__Common__V1__KeyValue>?>?, _ count: Int
    ) -> [KeyValue] {
        array(pointers, count) { keyValue in
            KeyValue(key: string(keyValue.key), value: keyValue.value.map { value($0.pointee) })
        }
    }

    private static func value(_ value: Opentelemetry__Proto__Common__V1__AnyValue) -> Value {
        switch value.value_case {
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_STRING_VALUE:
            return .string(string(value.string_value))
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BOOL_VALUE:
            return .bool(value.bool_value != 0)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_INT_VALUE:
            return .int(value.int_value)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_DOUBLE_VALUE:
            return .double(value.double_value.bitPattern)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_ARRAY_VALUE:
            return .array(value.array_value.map { array in
                Self.array(array.pointee.values, array.pointee.n_values) { Self.value($0) }
            })
        default:
            return .other(value.value_case.rawValue)
        }
    }

    /// The elements of a protobuf-c repeated message field (`n_xxx` pointers at `xxx`).
    private static func array<Message, Element>(
        _ pointers: UnsafeMutablePointer<UnsafeMutablePointer<Message>?>?, _ count: Int, _ transform: (Message) -> Element
    ) -> [Element] {
        guard count > 0, let pointers else { return [] }
        return (0..<count).map { transform(pointers[$0]!.pointee) }
    }

    static let invalidUTF8Marker = "<invalid UTF-8>"

    private static func string(_ cString: UnsafeMutablePointer<CChar>?) -> String {
        guard let cString else { return "<NULL>" }
        return String(validatingCString: cString) ?? invalidUTF8Marker
    }

    private static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard data.len > 0, let pointer = data.data else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: data.len))
    }
}

extension DecodedTraceRequest.Value {
    /// What the encoder should write for an SDK attribute value.
    init(_ value: AttributeValue) {
        switch value {
        case .string(let string): self = .string(string)
        case .bool(let bool): self = .bool(bool)
        case .int(let int): self = .int(int)
        case .double(let double): self = .double(double.bitPattern)
        case .stringArray(let strings): self = .array(strings.map { .string($0) })
        case .boolArray(let bools): self = .array(bools.map { .bool($0) })
        case .intArray(let ints): self = .array(ints.map { .int($0) })
        case .doubleArray(let doubles): self = .array(doubles.map { .double($0.bitPattern) })
        case .array(let values): self = .array(values.map(Self.init))
        case .keyValueList: self = .other(OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_KVLIST_VALUE.rawValue)
        }
    }
}

extension DecodedTraceRequest.KeyValue {
    init(_ attribute: Attribute) {
        self.init(key: attribute.key, value: DecodedTraceRequest.Value(attribute.value))
    }
}

extension DecodedTraceRequest {
    /// What the encoder should write for SDK attributes.
    static func expected(_ attributes: [Attribute]) -> [KeyValue] {
        attributes.map(KeyValue.init)
    }
}
