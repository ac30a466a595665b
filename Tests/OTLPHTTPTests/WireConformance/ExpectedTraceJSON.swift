import OTelSDK

/// The JSON that `decode_to_json.py` must print for a batch of spans: every field of the
/// `ExportTraceServiceRequest`, derived from the spans by the OTLP mapping and the encoder's
/// documented choices (see `OTLPTraceEncoder`), without using the encoder.
///
/// It follows protobuf's JSON mapping with proto field names and all no-presence fields printed:
/// 64-bit integers as decimal strings, enums by name, non-finite doubles as `"NaN"`/`"Infinity"`/
/// `"-Infinity"`, absent messages (a span without status) omitted; IDs are hex (the script's one
/// deviation). Fields the encoder never sets appear with their default value (`schema_url`,
/// `entity_refs`, `key_strindex`, the resource's and scope's `dropped_attributes_count`).
enum ExpectedTraceJSON {
    static func request(_ spans: [SpanData]) -> JSONValue {
        .object(["resource_spans": .array(grouped(spans).map(resourceSpans))])
    }

    // MARK: Grouping: by resource, then scope, by identity, in order of first appearance

    private struct ScopeGroup {
        let scope: InstrumentationScope
        var spans: [SpanData]
    }

    private struct ResourceGroup {
        let resource: Resource
        var scopes: [ScopeGroup]
    }

    private static func grouped(_ spans: [SpanData]) -> [ResourceGroup] {
        var groups: [ResourceGroup] = []
        for span in spans {
            let resourceIndex =
                groups.firstIndex { $0.resource === span.resource }
                ?? { groups.append(ResourceGroup(resource: span.resource, scopes: [])); return groups.count - 1 }()
            let scopeIndex =
                groups[resourceIndex].scopes.firstIndex { $0.scope === span.scope }
                ?? {
                    groups[resourceIndex].scopes.append(ScopeGroup(scope: span.scope, spans: []))
                    return groups[resourceIndex].scopes.count - 1
                }()
            groups[resourceIndex].scopes[scopeIndex].spans.append(span)
        }
        return groups
    }

    // MARK: Messages

    private static func resourceSpans(_ group: ResourceGroup) -> JSONValue {
        .object([
            "resource": .object([
                "attributes": attributes(group.resource.attributes),
                "dropped_attributes_count": count(0),
                "entity_refs": .array([]),
            ]),
            "scope_spans": .array(group.scopes.map(scopeSpans)),
            "schema_url": "",
        ])
    }

    private static func scopeSpans(_ group: ScopeGroup) -> JSONValue {
        .object([
            "scope": .object([
                "name": string(group.scope.name),
                "version": string(group.scope.version ?? ""),
                "attributes": attributes(group.scope.attributes),
                "dropped_attributes_count": count(0),
            ]),
            "spans": .array(group.spans.map(span)),
            "schema_url": "",
        ])
    }

    private static func span(_ span: SpanData) -> JSONValue {
        var members: [String: JSONValue] = [
            "trace_id": .string(span.context.traceID.hex),
            "span_id": .string(span.context.spanID.hex),
            "trace_state": string(span.context.traceState),
            "parent_span_id": .string(span.parentSpanID?.hex ?? ""),
            "flags": flags(span.context.traceFlags, isRemote: span.parentSpanID != nil && span.parentIsRemote),
            "name": string(span.name),
            "kind": .string(kindName(of: span)),
            "start_time_unix_nano": .string(String(span.startTimeNanos)),
            "end_time_unix_nano": .string(String(span.endTimeNanos)),
            "attributes": attributes(span.attributes),
            "dropped_attributes_count": count(span.droppedAttributesCount),
            "events": .array(span.events.map(event)),
            "dropped_events_count": count(span.droppedEventsCount),
            "links": .array(span.links.map(link)),
            "dropped_links_count": count(span.droppedLinksCount),
        ]
        switch span.status {
        case .unset:
            break  // no Status message
        case .ok:
            members["status"] = .object(["code": "STATUS_CODE_OK", "message": ""])
        case .error(let message):
            members["status"] = .object(["code": "STATUS_CODE_ERROR", "message": string(message)])
        }
        return .object(members)
    }

    private static func event(_ event: SpanData.Event) -> JSONValue {
        .object([
            "time_unix_nano": .string(String(event.timeNanos)),
            "name": string(event.name),
            "attributes": attributes(event.attributes),
            "dropped_attributes_count": count(event.droppedAttributesCount),
        ])
    }

    private static func link(_ link: SpanData.Link) -> JSONValue {
        .object([
            "trace_id": .string(link.context.traceID.hex),
            "span_id": .string(link.context.spanID.hex),
            "trace_state": string(link.context.traceState),
            "attributes": attributes(link.attributes),
            "dropped_attributes_count": count(link.droppedAttributesCount),
            "flags": flags(link.context.traceFlags, isRemote: link.context.isRemote),
        ])
    }

    private static func attributes(_ attributes: [Attribute]) -> JSONValue {
        .array(attributes.map { .object(["key": string($0.key), "value": anyValue($0.value), "key_strindex": 0]) })
    }

    private static func anyValue(_ value: AttributeValue) -> JSONValue {
        switch value {
        case .string(let value): .object(["string_value": string(value)])
        case .bool(let value): .object(["bool_value": .bool(value)])
        case .int(let value): .object(["int_value": .string(String(value))])
        case .double(let value): .object(["double_value": double(value)])
        case .stringArray(let values): arrayValue(values.map { .string($0) })
        case .boolArray(let values): arrayValue(values.map { .bool($0) })
        case .intArray(let values): arrayValue(values.map { .int($0) })
        case .doubleArray(let values): arrayValue(values.map { .double($0) })
        case .array(let values): arrayValue(values)
        case .keyValueList(let list): .object(["kvlist_value": .object(["values": attributes(list)])])
        }
    }

    private static func arrayValue(_ values: [AttributeValue]) -> JSONValue {
        .object(["array_value": .object(["values": .array(values.map(anyValue))])])
    }

    // MARK: Scalars

    /// Every NUL is written as U+FFFD (see `OTLPTraceEncoder`).
    private static func string(_ value: String) -> JSONValue {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: value.unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 })
        return .string(String(scalars))
    }

    /// A uint32 dropped count; larger values are clamped.
    private static func count(_ value: Int) -> JSONValue {
        .number(Double(UInt32(clamping: value)))
    }

    private static func double(_ value: Double) -> JSONValue {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        return .number(value)
    }

    /// `SpanFlags`: W3C trace flags, `SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK` (0x100) always,
    /// `SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK` (0x200) when remote.
    private static func flags(_ traceFlags: TraceFlags, isRemote: Bool) -> JSONValue {
        .number(Double(UInt32(traceFlags.rawValue) | 0x100 | (isRemote ? 0x200 : 0)))
    }

    private static func kindName(of span: SpanData) -> String {
        switch span.kind {
        case .internal: "SPAN_KIND_INTERNAL"
        case .server: "SPAN_KIND_SERVER"
        case .client: "SPAN_KIND_CLIENT"
        case .producer: "SPAN_KIND_PRODUCER"
        case .consumer: "SPAN_KIND_CONSUMER"
        }
    }
}
