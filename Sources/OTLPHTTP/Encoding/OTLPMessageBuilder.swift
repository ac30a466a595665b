import COTLP
import OTLPProto
import OTelSDK

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The protobuf-c generated structs of the OTLP trace and log messages, by shorter names.
enum OTLPProtobufC {
    typealias ExportTraceServiceRequest = Opentelemetry__Proto__Collector__Trace__V1__ExportTraceServiceRequest
    typealias ResourceSpans = Opentelemetry__Proto__Trace__V1__ResourceSpans
    typealias ScopeSpans = Opentelemetry__Proto__Trace__V1__ScopeSpans
    typealias Span = Opentelemetry__Proto__Trace__V1__Span
    typealias Event = Opentelemetry__Proto__Trace__V1__Span__Event
    typealias Link = Opentelemetry__Proto__Trace__V1__Span__Link
    typealias Status = Opentelemetry__Proto__Trace__V1__Status
    typealias Resource = Opentelemetry__Proto__Resource__V1__Resource
    typealias InstrumentationScope = Opentelemetry__Proto__Common__V1__InstrumentationScope
    typealias KeyValue = Opentelemetry__Proto__Common__V1__KeyValue
    typealias AnyValue = Opentelemetry__Proto__Common__V1__AnyValue
    typealias ArrayValue = Opentelemetry__Proto__Common__V1__ArrayValue
    typealias KeyValueList = Opentelemetry__Proto__Common__V1__KeyValueList
    typealias LogRecord = Opentelemetry__Proto__Logs__V1__LogRecord

    /// `SpanFlags.SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK`: whether the parent or link is remote is known.
    static let hasIsRemoteFlag: UInt32 = 0x100
    /// `SpanFlags.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK`: the parent or link is remote.
    static let isRemoteFlag: UInt32 = 0x200
}

/// Builds the protobuf-c structs of OTLP trace and log messages in an arena.
///
/// Every struct, pointer array, ID and string is written into `arena`; the returned pointers
/// are valid until the arena is reset or destroyed. Message structs start as copies of the
/// values the generated `..._init` functions produce (descriptor set, strings pointing at
/// libprotobuf-c's static empty string), so fields the model leaves empty stay at their
/// proto3 defaults and are not packed.
///
/// Strings are copied NUL-terminated; any NUL byte inside a string becomes U+FFFD (see
/// `OTLPTraceEncoder`), because libprotobuf-c measures strings with `strlen`.
struct OTLPMessageBuilder: ~Copyable {
    typealias PB = OTLPProtobufC
    typealias KeyValueList = (count: Int, pointers: UnsafeMutablePointer<UnsafeMutablePointer<PB.KeyValue>?>?)

    var arena: ProtobufCArena

    // Initialized templates, one per message type.
    private let spanTemplate: PB.Span
    private let eventTemplate: PB.Event
    private let linkTemplate: PB.Link
    private let statusTemplate: PB.Status
    private let resourceTemplate: PB.Resource
    private let scopeTemplate: PB.InstrumentationScope
    private let keyValueTemplate: PB.KeyValue
    private let anyValueTemplate: PB.AnyValue
    private let arrayValueTemplate: PB.ArrayValue
    private let keyValueListTemplate: PB.KeyValueList
    private let logRecordTemplate: PB.LogRecord
    /// libprotobuf-c's static `protobuf_c_empty_string`, as the `..._init` functions set it.
    private let emptyString: UnsafeMutablePointer<CChar>

    init(arena: consuming ProtobufCArena) {
        self.arena = arena
        var span = PB.Span()
        opentelemetry__proto__trace__v1__span__init(&span)
        spanTemplate = span
        var event = PB.Event()
        opentelemetry__proto__trace__v1__span__event__init(&event)
        eventTemplate = event
        var link = PB.Link()
        opentelemetry__proto__trace__v1__span__link__init(&link)
        linkTemplate = link
        var status = PB.Status()
        opentelemetry__proto__trace__v1__status__init(&status)
        statusTemplate = status
        var resource = PB.Resource()
        opentelemetry__proto__resource__v1__resource__init(&resource)
        resourceTemplate = resource
        var scope = PB.InstrumentationScope()
        opentelemetry__proto__common__v1__instrumentation_scope__init(&scope)
        scopeTemplate = scope
        var keyValue = PB.KeyValue()
        opentelemetry__proto__common__v1__key_value__init(&keyValue)
        keyValueTemplate = keyValue
        var anyValue = PB.AnyValue()
        opentelemetry__proto__common__v1__any_value__init(&anyValue)
        anyValueTemplate = anyValue
        var arrayValue = PB.ArrayValue()
        opentelemetry__proto__common__v1__array_value__init(&arrayValue)
        arrayValueTemplate = arrayValue
        var keyValueList = PB.KeyValueList()
        opentelemetry__proto__common__v1__key_value_list__init(&keyValueList)
        keyValueListTemplate = keyValueList
        var logRecord = PB.LogRecord()
        opentelemetry__proto__logs__v1__log_record__init(&logRecord)
        logRecordTemplate = logRecord
        emptyString = span.name
    }

    // MARK: Messages

    /// A `Resource` message with the resource's attributes.
    mutating func resource(_ resource: OTelSDK.Resource) -> UnsafeMutablePointer<PB.Resource> {
        var message = resourceTemplate
        (message.n_attributes, message.attributes) = keyValues(resource.attributes)
        return place(message)
    }

    /// An `InstrumentationScope` message.
    mutating func scope(_ scope: OTelSDK.InstrumentationScope) -> UnsafeMutablePointer<PB.InstrumentationScope> {
        var message = scopeTemplate
        message.name = cString(scope.name)
        if let version = scope.version {
            message.version = cString(version)
        }
        (message.n_attributes, message.attributes) = keyValues(scope.attributes)
        return place(message)
    }

    /// A `Span` message with everything but the resource and scope, which its enclosing
    /// `ResourceSpans` and `ScopeSpans` carry.
    mutating func span(_ span: borrowing SpanData) -> UnsafeMutablePointer<PB.Span> {
        var message = spanTemplate
        message.trace_id = traceID(span.context.traceID)
        message.span_id = spanID(span.context.spanID)
        message.trace_state = cString(span.context.traceState)
        message.flags = UInt32(span.context.traceFlags.rawValue) | PB.hasIsRemoteFlag
        if let parent = span.parentSpanID {
            message.parent_span_id = spanID(parent)
            if span.parentIsRemote {
                message.flags |= PB.isRemoteFlag
            }
        }
        message.name = cString(span.name)
        message.kind = Self.kind(of: span)
        message.start_time_unix_nano = span.startTimeNanos
        message.end_time_unix_nano = span.endTimeNanos
        var attributes = keyValueSlots(capacity: span.attributeCountBound)
        let droppedAttributes = span.forEachAttribute { key, value in append(key, value, to: &attributes) }
        (message.n_attributes, message.attributes) = attributes.list
        message.dropped_attributes_count = UInt32(clamping: droppedAttributes)
        if !span.events.isEmpty {
            message.n_events = span.events.count
            message.events = events(span.events)
        }
        message.dropped_events_count = UInt32(clamping: span.droppedEventsCount)
        if !span.links.isEmpty {
            message.n_links = span.links.count
            message.links = links(span.links)
        }
        message.dropped_links_count = UInt32(clamping: span.droppedLinksCount)
        switch span.status {
        case .unset:
            break  // No Status message: it reads as STATUS_CODE_UNSET.
        case .ok:
            var status = statusTemplate
            status.code = OPENTELEMETRY__PROTO__TRACE__V1__STATUS__STATUS_CODE__STATUS_CODE_OK
            message.status = place(status)
        case .error(let description):
            var status = statusTemplate
            status.code = OPENTELEMETRY__PROTO__TRACE__V1__STATUS__STATUS_CODE__STATUS_CODE_ERROR
            status.message = cString(description)
            message.status = place(status)
        }
        return place(message)
    }

    /// A `LogRecord` message with everything but the resource and scope, which its enclosing
    /// `ResourceLogs` and `ScopeLogs` carry. `flags` holds the W3C trace flags of the record's span
    /// context (bits 0-7); a record without one has no trace and span IDs and no flags.
    mutating func logRecord(_ record: borrowing LogRecordData) -> UnsafeMutablePointer<PB.LogRecord> {
        var message = logRecordTemplate
        message.time_unix_nano = record.timestampNanos
        message.observed_time_unix_nano = record.observedTimestampNanos
        if let severity = record.severityNumber {
            message.severity_number = Opentelemetry__Proto__Logs__V1__SeverityNumber(rawValue: numericCast(severity.rawValue))
        }
        if let text = record.severityText {
            message.severity_text = cString(text)
        }
        if let body = record.body {
            message.body = place(anyValue(body))
        }
        (message.n_attributes, message.attributes) = keyValues(record.attributes)
        message.dropped_attributes_count = UInt32(clamping: record.droppedAttributesCount)
        if let context = record.spanContext {
            message.trace_id = traceID(context.traceID)
            message.span_id = spanID(context.spanID)
            message.flags = UInt32(context.traceFlags.rawValue)
        }
        return place(message)
    }

    /// The OTLP span kind. (Takes the span rather than its `Tracing.SpanKind`, a module this target
    /// does not import.)
    private static func kind(of span: borrowing SpanData) -> Opentelemetry__Proto__Trace__V1__Span__SpanKind {
        switch span.kind {
        case .internal: OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_INTERNAL
        case .server: OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_SERVER
        case .client: OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_CLIENT
        case .producer: OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_PRODUCER
        case .consumer: OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_CONSUMER
        }
    }

    private mutating func events(_ events: [SpanData.Event]) -> UnsafeMutablePointer<UnsafeMutablePointer<PB.Event>?> {
        let pointers = arena.allocate(UnsafeMutablePointer<PB.Event>?.self, count: events.count)
        let messages = arena.allocate(PB.Event.self, count: events.count)
        for (index, event) in events.enumerated() {
            var message = eventTemplate
            message.time_unix_nano = event.timeNanos
            message.name = cString(event.name)
            (message.n_attributes, message.attributes) = keyValues(event.attributes)
            message.dropped_attributes_count = UInt32(clamping: event.droppedAttributesCount)
            (messages + index).initialize(to: message)
            (pointers + index).initialize(to: messages + index)
        }
        return pointers
    }

    private mutating func links(_ links: [SpanData.Link]) -> UnsafeMutablePointer<UnsafeMutablePointer<PB.Link>?> {
        let pointers = arena.allocate(UnsafeMutablePointer<PB.Link>?.self, count: links.count)
        let messages = arena.allocate(PB.Link.self, count: links.count)
        for (index, link) in links.enumerated() {
            var message = linkTemplate
            message.trace_id = traceID(link.context.traceID)
            message.span_id = spanID(link.context.spanID)
            message.trace_state = cString(link.context.traceState)
            message.flags = UInt32(link.context.traceFlags.rawValue) | PB.hasIsRemoteFlag
            if link.context.isRemote {
                message.flags |= PB.isRemoteFlag
            }
            (message.n_attributes, message.attributes) = keyValues(link.attributes)
            message.dropped_attributes_count = UInt32(clamping: link.droppedAttributesCount)
            (messages + index).initialize(to: message)
            (pointers + index).initialize(to: messages + index)
        }
        return pointers
    }

    // MARK: Attributes

    /// `repeated KeyValue` for `attributes`: a count and a pointer array (nil when empty).
    mutating func keyValues(_ attributes: [Attribute]) -> KeyValueList {
        var slots = keyValueSlots(capacity: attributes.count)
        for index in attributes.indices {
            append(attributes[index].key, attributes[index].value, to: &slots)
        }
        return slots.list
    }

    /// The arrays of a `repeated KeyValue` being filled: a pointer, a `KeyValue` and an `AnyValue`
    /// for each of up to `capacity` attributes, the first `count` of them initialized.
    struct KeyValueSlots {
        let pointers: UnsafeMutablePointer<UnsafeMutablePointer<PB.KeyValue>?>
        let keyValues: UnsafeMutablePointer<PB.KeyValue>
        let values: UnsafeMutablePointer<PB.AnyValue>
        let capacity: Int
        var count = 0

        /// The field's count and pointer array (nil when empty).
        var list: KeyValueList { count == 0 ? (0, nil) : (count, pointers) }
    }

    /// Room in the arena for up to `capacity` attributes.
    mutating func keyValueSlots(capacity: Int) -> KeyValueSlots {
        KeyValueSlots(
            pointers: arena.allocate(UnsafeMutablePointer<PB.KeyValue>?.self, count: capacity),
            keyValues: arena.allocate(PB.KeyValue.self, count: capacity),
            values: arena.allocate(PB.AnyValue.self, count: capacity),
            capacity: capacity)
    }

    /// Builds the next `KeyValue` of `slots` from an attribute.
    mutating func append(_ key: String, _ value: AttributeValue, to slots: inout KeyValueSlots) {
        precondition(slots.count < slots.capacity, "more attributes than the room reserved for them")
        let index = slots.count
        var keyValue = keyValueTemplate
        keyValue.key = cString(key)
        keyValue.value = slots.values + index
        (slots.values + index).initialize(to: anyValue(value))
        (slots.keyValues + index).initialize(to: keyValue)
        (slots.pointers + index).initialize(to: slots.keyValues + index)
        slots.count = index &+ 1
    }

    private mutating func anyValue(_ value: AttributeValue) -> PB.AnyValue {
        var message = anyValueTemplate
        switch value {
        case .string(let string):
            message.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_STRING_VALUE
            message.string_value = oneofCString(string)
        case .bool(let bool):
            message.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BOOL_VALUE
            message.bool_value = bool ? 1 : 0
        case .int(let int):
            message.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_INT_VALUE
            message.int_value = int
        case .double(let double):
            message.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_DOUBLE_VALUE
            message.double_value = double
        // A typed array is packed as an `ArrayValue` of the scalar `AnyValue`s its elements make.
        case .stringArray(let strings):
            message.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_ARRAY_VALUE
            message.array_value = arrayValue(strings) { builder, string in builder.anyValue(.string(string)) }
        case .boolArray(let bools):
            message.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_ARRAY_VALUE
            message.array_value = arrayValue(bools) { builder, bool in builder.anyValue(.bool(bool)) }
        case .intArray(let ints):
            message.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_ARRAY_VALUE
            message.array_value = arrayValue(ints) { builder, int in builder.anyValue(.int(int)) }
        case .doubleArray(let doubles):
            message.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_ARRAY_VALUE
            message.array_value = arrayValue(doubles) { builder, double in builder.anyValue(.double(double)) }
        case .array(let values):
            message.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_ARRAY_VALUE
            message.array_value = arrayValue(values) { builder, value in builder.anyValue(value) }
        case .keyValueList(let attributes):
            message.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_KVLIST_VALUE
            var list = keyValueListTemplate
            (list.n_values, list.values) = keyValues(attributes)
            message.kvlist_value = place(list)
        }
        return message
    }

    /// An `ArrayValue` holding one `AnyValue` per element (an empty array stays an empty message).
    private mutating func arrayValue<Element>(
        _ elements: [Element],
        _ makeValue: (inout OTLPMessageBuilder, Element) -> PB.AnyValue
    ) -> UnsafeMutablePointer<PB.ArrayValue> {
        var array = arrayValueTemplate
        let count = elements.count
        if count > 0 {
            let pointers = arena.allocate(UnsafeMutablePointer<PB.AnyValue>?.self, count: count)
            let values = arena.allocate(PB.AnyValue.self, count: count)
            for index in 0..<count {
                (values + index).initialize(to: makeValue(&self, elements[index]))
                (pointers + index).initialize(to: values + index)
            }
            array.n_values = count
            array.values = pointers
        }
        return place(array)
    }

    // MARK: Scalars

    /// Copies `value` into the arena.
    @inline(__always)
    mutating func place<Message>(_ value: Message) -> UnsafeMutablePointer<Message> {
        let pointer = arena.allocate(Message.self)
        pointer.initialize(to: value)
        return pointer
    }

    /// The 16 bytes of a trace ID in network order.
    @inline(__always)
    mutating func traceID(_ id: TraceID) -> ProtobufCBinaryData {
        let bytes = arena.allocate(byteCount: 16, alignment: 8)
        bytes.storeBytes(of: id.high.bigEndian, as: UInt64.self)
        bytes.storeBytes(of: id.low.bigEndian, toByteOffset: 8, as: UInt64.self)
        return ProtobufCBinaryData(len: 16, data: bytes.bindMemory(to: UInt8.self, capacity: 16))
    }

    /// The 8 bytes of a span ID in network order.
    @inline(__always)
    mutating func spanID(_ id: SpanID) -> ProtobufCBinaryData {
        let bytes = arena.allocate(byteCount: 8, alignment: 8)
        bytes.storeBytes(of: id.value.bigEndian, as: UInt64.self)
        return ProtobufCBinaryData(len: 8, data: bytes.bindMemory(to: UInt8.self, capacity: 8))
    }

    /// A NUL-terminated copy of `string` in the arena, with every NUL byte inside it replaced by
    /// U+FFFD; the static empty string for `""`.
    mutating func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        if string.isEmpty { return emptyString }
        if let copy = string.utf8.withContiguousStorageIfAvailable({ cString(utf8: $0) }) {
            return copy
        }
        // Not contiguous UTF-8 (e.g. a bridged string): copy it out first.
        return Array(string.utf8).withUnsafeBufferPointer { cString(utf8: $0) }
    }

    /// Like `cString`, but never the static empty string: for a string member of a oneof, such as
    /// `AnyValue.string_value`. libprotobuf-c skips a oneof string whose pointer is the field's
    /// default value (`protobuf_c_empty_string`) even when the case is set, which would turn an
    /// empty string attribute value into an `AnyValue` with no value at all.
    mutating func oneofCString(_ string: String) -> UnsafeMutablePointer<CChar> {
        if string.isEmpty {
            let empty = arena.allocate(byteCount: 1, alignment: 1)
            empty.storeBytes(of: 0, as: UInt8.self)
            return empty.bindMemory(to: CChar.self, capacity: 1)
        }
        return cString(string)
    }

    private mutating func cString(utf8: UnsafeBufferPointer<UInt8>) -> UnsafeMutablePointer<CChar> {
        let count = utf8.count
        let source = UnsafeRawPointer(utf8.baseAddress!)
        if count > 64 {
            // Long strings: libc's vectorized search and copy.
            if memchr(source, 0, count) != nil {
                return replacingNULs(utf8)
            }
            let copy = arena.allocate(byteCount: count &+ 1, alignment: 1)
            copy.copyMemory(from: source, byteCount: count)
            copy.storeBytes(of: 0, toByteOffset: count, as: UInt8.self)
            return copy.bindMemory(to: CChar.self, capacity: count &+ 1)
        }
        // Short strings (the common case): copy eight bytes at a time and look for a zero byte
        // on the way, without calling into libc.
        let copy = arena.allocate(byteCount: count &+ 1, alignment: 1)
        var zeroBytes: UInt64 = 0
        @inline(__always) func copyWord(at offset: Int) {
            let word = source.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            // Nonzero iff some byte of `word` is zero.
            zeroBytes |= (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
            copy.storeBytes(of: word, toByteOffset: offset, as: UInt64.self)
        }
        if count >= 8 {
            var offset = 0
            while offset &+ 8 < count {
                copyWord(at: offset)
                offset &+= 8
            }
            copyWord(at: count &- 8)  // the last eight bytes, overlapping the previous word
        } else {
            for offset in 0..<count {
                let byte = source.load(fromByteOffset: offset, as: UInt8.self)
                zeroBytes |= byte == 0 ? 1 : 0
                copy.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
            }
        }
        copy.storeBytes(of: 0, toByteOffset: count, as: UInt8.self)
        if zeroBytes != 0 {
            return replacingNULs(utf8)  // The copy is abandoned in the arena.
        }
        return copy.bindMemory(to: CChar.self, capacity: count &+ 1)
    }

    /// The slow path of `cString`: each NUL byte becomes the three bytes of U+FFFD (EF BF BD).
    private mutating func replacingNULs(_ utf8: UnsafeBufferPointer<UInt8>) -> UnsafeMutablePointer<CChar> {
        var nulCount = 0
        for byte in utf8 where byte == 0 {
            nulCount += 1
        }
        let length = utf8.count + 2 * nulCount
        let copy = arena.allocate(byteCount: length + 1, alignment: 1)
        var position = 0
        for byte in utf8 {
            if byte == 0 {
                copy.storeBytes(of: 0xEF, toByteOffset: position, as: UInt8.self)
                copy.storeBytes(of: 0xBF, toByteOffset: position + 1, as: UInt8.self)
                copy.storeBytes(of: 0xBD, toByteOffset: position + 2, as: UInt8.self)
                position += 3
            } else {
                copy.storeBytes(of: byte, toByteOffset: position, as: UInt8.self)
                position += 1
            }
        }
        copy.storeBytes(of: 0, toByteOffset: length, as: UInt8.self)
        return copy.bindMemory(to: CChar.self, capacity: length + 1)
    }
}
