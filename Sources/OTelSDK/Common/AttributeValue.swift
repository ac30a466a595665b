/// The value of an OpenTelemetry attribute: a primitive or a homogeneous array of one.
///
/// This is the SDK's own model of the OTel `AnyValue` subset that attributes may carry.
/// Values from swift-distributed-tracing's `SpanAttribute` convert into it when a span ends.
public enum AttributeValue: Sendable, Hashable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case stringArray([String])
    case boolArray([Bool])
    case intArray([Int64])
    case doubleArray([Double])
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
        }
    }
}
