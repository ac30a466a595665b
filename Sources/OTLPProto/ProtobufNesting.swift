/// A bound on how deeply a protobuf message nests, checked on the wire bytes before libprotobuf-c
/// unpacks them: `protobuf_c_message_unpack` recurses once per nested message with no limit of its
/// own, so a request of a few hundred kilobytes of nested `AnyValue` arrays overflows the stack.
///
/// The scan knows no schema: a length-delimited field whose bytes read as a protobuf message is
/// taken for a nested message (a string that happens to read as one only counts at the limit, and
/// no OTLP message legitimately comes near it: a span attribute value is about 6 levels down). Its
/// own recursion is bounded by the limit, and each byte is read at most once per level.
enum ProtobufNesting {
    /// The deepest nesting accepted: the request message is level 0.
    static let maxDepth = 64

    /// Whether `bytes`, read as a message, nests messages deeper than `maxDepth`.
    static func exceedsLimit(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = maxDepth) -> Bool {
        scan(bytes, from: 0, to: bytes.count, depth: 0, maxDepth: maxDepth, descending: true) == .tooDeep
    }

    private enum Reading: Equatable {
        case notAMessage, message, tooDeep
    }

    /// Reads `bytes[start..<end]` as a message at `depth`; `descending: false` reads it flat (its fields' bytes
    /// are not looked into).
    private static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, depth: Int, maxDepth: Int, descending: Bool
    ) -> Reading {
        var index = start
        while index < end {
            guard let tag = varint(bytes, &index, end), tag >> 3 != 0 else { return .notAMessage }
            switch tag & 7 {
            case 0:
                guard varint(bytes, &index, end) != nil else { return .notAMessage }
            case 1:
                index += 8
            case 5:
                index += 4
            case 2:
                guard let length = varint(bytes, &index, end), length <= UInt64(end - index) else { return .notAMessage }
                let childEnd = index + Int(length)
                if !descending {
                    // Read flat: the field's bytes are skipped.
                } else if depth == maxDepth {
                    // One level too deep: a non-empty field that reads as a message at all is refused.
                    if length > 0, scan(bytes, from: index, to: childEnd, depth: depth + 1, maxDepth: maxDepth, descending: false) == .message {
                        return .tooDeep
                    }
                } else if scan(bytes, from: index, to: childEnd, depth: depth + 1, maxDepth: maxDepth, descending: true) == .tooDeep {
                    return .tooDeep
                }
                index = childEnd
            default:
                return .notAMessage  // groups (3, 4) are not used by OTLP; 6 and 7 do not exist
            }
            guard index <= end else { return .notAMessage }
        }
        return .message
    }

    private static func varint(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ end: Int) -> UInt64? {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard index < end else { return nil }
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte & 0x80 == 0 { return value }
        }
        return nil
    }
}
