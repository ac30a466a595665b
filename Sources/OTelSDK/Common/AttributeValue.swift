/// The value of an OpenTelemetry attribute or log body: a primitive, a homogeneous array of one,
/// or (OTLP `AnyValue`'s structured forms) a heterogeneous array or a nested key/value list.
///
/// This is the SDK's own model of OTel `AnyValue`. Values from swift-distributed-tracing's
/// `SpanAttribute` convert into the primitive and homogeneous array cases when a span ends; the
/// structured cases come from log records (nested swift-log metadata).
public enum AttributeValue: Sendable, Hashable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case stringArray([String])
    case boolArray([Bool])
    case intArray([Int64])
    case doubleArray([Double])
    /// An array whose elements may differ in type (OTLP `ArrayValue`).
    case array([AttributeValue])
    /// A nested map, in the given order (OTLP `KeyValueList`).
    case keyValueList([Attribute])
}

/// One key/value attribute.
public struct Attribute: Sendable, Hashable {
    public var key: String
    public var value: AttributeValue

    public init(_ key: String, _ value: AttributeValue) {
        self.key = key
        self.value = value
    }
}

extension AttributeValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .string(let value): return value
        case .bool(let value): return String(value)
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .stringArray(let values): return "[\(values.joined(separator: ","))]"
        case .boolArray(let values): return "[\(values.map(String.init).joined(separator: ","))]"
        case .intArray(let values): return "[\(values.map(String.init).joined(separator: ","))]"
        case .doubleArray(let values): return "[\(values.map { String($0) }.joined(separator: ","))]"
        case .array(let values): return "[\(values.map(\.description).joined(separator: ","))]"
        case .keyValueList(let attributes): return "{\(attributes.map { "\($0.key):\($0.value)" }.joined(separator: ","))}"
        }
    }
}
