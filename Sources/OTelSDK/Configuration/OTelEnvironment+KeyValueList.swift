extension OTelEnvironment {
    /// A `key=value,key=value` list as `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_EXPORTER_OTLP_HEADERS`
    /// use it (W3C Baggage style): keys and values trimmed, values percent-decoded, empty entries skipped.
    ///
    /// - Returns: the well-formed pairs in order, and the 1-based positions of malformed entries
    ///   (no `=`, an empty key, or a bad percent escape). The caller decides what a malformed entry
    ///   means (the resource ignores the whole variable, headers skip the entry) and reports it.
    public func keyValueList(_ name: String) -> (pairs: [(key: String, value: String)], malformedEntries: [Int]) {
        guard let raw = string(name) else { return ([], []) }
        var pairs: [(key: String, value: String)] = []
        var malformed: [Int] = []
        for (index, entry) in raw.split(separator: ",").enumerated() {
            guard let equals = entry.firstIndex(of: "=") else {
                malformed.append(index + 1)
                continue
            }
            let key = entry[..<equals].trimmingWhitespace()
            guard !key.isEmpty, let value = entry[entry.index(after: equals)...].trimmingWhitespace().percentDecoded() else {
                malformed.append(index + 1)
                continue
            }
            pairs.append((key, value))
        }
        return (pairs, malformed)
    }
}

extension String {
    /// Decodes `%XX` escapes; nil when an escape is malformed or the bytes are not UTF-8.
    func percentDecoded() -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

/// The value of one ASCII hex digit.
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}
