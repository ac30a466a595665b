extension AttributeValue {
    /// This value with every string in it (also inside arrays and nested lists, and keys excepted)
    /// cut to at most `limit` characters. Values without strings are returned unchanged.
    func truncated(toLength limit: Int) -> AttributeValue {
        func cut(_ string: String) -> String {
            string.count > limit ? String(string.prefix(limit)) : string
        }
        switch self {
        case .string(let string): return .string(cut(string))
        case .stringArray(let strings): return .stringArray(strings.map(cut))
        case .array(let values): return .array(values.map { $0.truncated(toLength: limit) })
        case .keyValueList(let attributes): return .keyValueList(attributes.map { Attribute($0.key, $0.value.truncated(toLength: limit)) })
        case .bool, .int, .double, .boolArray, .intArray, .doubleArray: return self
        }
    }
}
