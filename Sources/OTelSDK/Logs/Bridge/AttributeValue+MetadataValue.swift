import Logging

extension AttributeValue {
    /// A swift-log metadata value as an OTLP `AnyValue`: strings (and `stringConvertible` values, by
    /// their description) stay strings, arrays become heterogeneous arrays and dictionaries nested
    /// key/value lists, sorted by key so that equal metadata always encodes the same.
    init(_ value: Logger.MetadataValue) {
        switch value {
        case .string(let string):
            self = .string(string)
        case .stringConvertible(let convertible):
            self = .string(convertible.description)
        case .array(let values):
            self = .array(values.map(AttributeValue.init))
        case .dictionary(let dictionary):
            self = .keyValueList(dictionary.sorted { $0.key < $1.key }.map { Attribute($0.key, AttributeValue($0.value)) })
        }
    }
}
