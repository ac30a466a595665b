import Tracing

/// An item whose size the batch queues estimate once, when it is queued, to bound the bytes they hold
/// (``BatchConfiguration/maxQueueBytes``) and the bytes of each batch (``BatchConfiguration/maxExportBatchBytes``).
protocol ExportSizeEstimating: Sendable {
    /// About the bytes of this item's OTLP protobuf encoding, meant to be at or above it, found without
    /// encoding: the UTF-8 bytes of its strings (names, keys, string values, bodies) plus a fixed
    /// framing per field and value. Attribute limits still to apply are ignored (the estimate is of the
    /// item as recorded), and so are the resource and scope, which a batch encodes once and items share.
    var estimatedExportBytes: Int { get }
}

/// The sizes the estimates are made of, after protobuf's wire format.
enum ExportSize {
    /// A field's tag and length prefix (a length up to 256 MiB takes at most 4 bytes).
    static let framing = 5
    /// A varint field (tag and up to 10 bytes).
    static let varint = 11
    /// A 64-bit fixed field (tag and 8 bytes): timestamps and doubles.
    static let fixed64 = 9

    /// A string field.
    static func string(_ string: String) -> Int {
        framing + string.utf8.count
    }

    /// An array of `count` scalars of `each` bytes, each in its own `AnyValue`.
    static func scalars(_ count: Int, each: Int) -> Int {
        framing + count * (framing + each)
    }

    /// An array of strings, each in its own `AnyValue`.
    static func strings(_ strings: some Sequence<String>) -> Int {
        framing + strings.reduce(0) { $0 + framing + string($1) }
    }

    /// A list of attributes (`KeyValue` messages).
    static func attributes(_ attributes: [Attribute]) -> Int {
        attributes.reduce(0) { $0 + $1.estimatedExportBytes }
    }

    /// One attribute as swift-distributed-tracing records it; a value the conversion drops counts nothing.
    static func attribute(key: String, value: SpanAttribute) -> Int {
        let valueBytes: Int
        switch value {
        case .int32, .int64: valueBytes = varint
        case .double: valueBytes = fixed64
        case .bool: valueBytes = 2
        case .string(let string): valueBytes = ExportSize.string(string)
        case .int32Array(let values): valueBytes = scalars(values.count, each: varint)
        case .int64Array(let values): valueBytes = scalars(values.count, each: varint)
        case .doubleArray(let values): valueBytes = scalars(values.count, each: fixed64)
        case .boolArray(let values): valueBytes = scalars(values.count, each: 2)
        case .stringArray(let values): valueBytes = strings(values)
        case .stringConvertible(let convertible): valueBytes = ExportSize.string(convertible.description)
        case .stringConvertibleArray(let values): valueBytes = strings(values.lazy.map(\.description))
        default: return 0
        }
        return framing + ExportSize.string(key) + framing + valueBytes
    }
}

extension Attribute {
    /// A `KeyValue` message: its framing, the key and the value.
    var estimatedExportBytes: Int {
        ExportSize.framing + ExportSize.string(key) + value.estimatedExportBytes
    }
}

extension AttributeValue {
    /// An `AnyValue` message: its framing and the value it holds (an array's elements each in their own `AnyValue`).
    var estimatedExportBytes: Int {
        let content: Int
        switch self {
        case .string(let string): content = ExportSize.string(string)
        case .bool: content = 2
        case .int: content = ExportSize.varint
        case .double: content = ExportSize.fixed64
        case .stringArray(let values): content = ExportSize.strings(values)
        case .boolArray(let values): content = ExportSize.scalars(values.count, each: 2)
        case .intArray(let values): content = ExportSize.scalars(values.count, each: ExportSize.varint)
        case .doubleArray(let values): content = ExportSize.scalars(values.count, each: ExportSize.fixed64)
        case .array(let values): content = ExportSize.framing + values.reduce(0) { $0 + $1.estimatedExportBytes }
        case .keyValueList(let attributes): content = ExportSize.framing + ExportSize.attributes(attributes)
        }
        return ExportSize.framing + content
    }
}
