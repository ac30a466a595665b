import Tracing

extension SpanAttributes {
    /// Converts to the SDK's attribute model, keeping at most `countLimit` attributes and truncating
    /// strings to `valueLengthLimit` characters. Returns the kept attributes and how many were dropped.
    ///
    /// `SpanAttributes` is a dictionary, so which attributes survive an over-limit set is unspecified;
    /// the dropped count is always exact.
    func converted(countLimit: Int, valueLengthLimit: Int?) -> (attributes: [Attribute], dropped: Int) {
        var result: [Attribute] = []
        result.reserveCapacity(Swift.min(count, countLimit))
        let dropped = forEachConverted(countLimit: countLimit, valueLengthLimit: valueLengthLimit) { key, value in
            result.append(Attribute(key, value))
        }
        return (result, dropped)
    }

    /// Calls `body` with each attribute that `converted(countLimit:valueLengthLimit:)` keeps, in the
    /// same order, without building the array; returns how many were dropped.
    func forEachConverted(
        countLimit: Int, valueLengthLimit: Int?, _ body: (_ key: String, _ value: AttributeValue) -> Void
    ) -> Int {
        var kept = 0
        var dropped = 0
        forEach { key, value in
            guard kept < countLimit else {
                dropped += 1
                return
            }
            if let converted = AttributeValue(value, lengthLimit: valueLengthLimit) {
                kept += 1
                body(key, converted)
            } else {
                dropped += 1
            }
        }
        return dropped
    }
}

extension AttributeValue {
    /// Converts a swift-distributed-tracing value; `stringConvertible` values become strings.
    init?(_ value: SpanAttribute, lengthLimit: Int?) {
        func truncate(_ string: String) -> String {
            // A string has at least as many UTF-8 bytes as characters: when the bytes fit (an O(1)
            // count for native strings), counting the characters is not needed.
            guard let limit = lengthLimit, string.utf8.count > limit, string.count > limit else { return string }
            return String(string.prefix(limit))
        }
        switch value {
        case .int32(let v): self = .int(Int64(v))
        case .int64(let v): self = .int(v)
        case .int32Array(let v): self = .intArray(v.map(Int64.init))
        case .int64Array(let v): self = .intArray(v)
        case .double(let v): self = .double(v)
        case .doubleArray(let v): self = .doubleArray(v)
        case .bool(let v): self = .bool(v)
        case .boolArray(let v): self = .boolArray(v)
        case .string(let v): self = .string(truncate(v))
        case .stringArray(let v): self = .stringArray(v.map(truncate))
        case .stringConvertible(let v): self = .string(truncate(v.description))
        case .stringConvertibleArray(let v): self = .stringArray(v.map { truncate($0.description) })
        default: return nil
        }
    }
}
