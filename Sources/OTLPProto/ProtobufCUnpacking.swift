import CProtobufC

/// Unpacks `bytes` with a generated protobuf-c `..._unpack` function and runs `body` on the
/// decoded message.
///
/// libprotobuf-c allocates the message tree from a ``ProtobufCArena`` (one `malloc` per chunk
/// instead of one per message, repeated field, byte string and string: a 512-span trace request
/// unpacks in well under half the time), and the whole tree goes when the arena does, at the end
/// of this call, also when `body` throws.
///
/// The message and everything reachable from it is only valid inside `body`: copy out what you
/// need. String fields are NUL-terminated `char *` and are read with `String(cString:)` by the
/// callers in this module (see `swiftString(_:)`), so a string that contains a NUL byte is cut at
/// that byte.
///
/// - Throws: `OTLPDecodingError` naming `messageType` when libprotobuf-c rejects the bytes, or when
///   they nest messages deeper than ``ProtobufNesting/maxDepth`` (refused before unpacking, which
///   would recurse once per level).
func withUnpackedProtobufC<Message, Result>(
    _ bytes: [UInt8],
    messageType: String,
    unpack: (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<Message>?,
    _ body: (UnsafePointer<Message>) throws -> Result
) throws -> Result {
    guard !bytes.withUnsafeBufferPointer({ ProtobufNesting.exceedsLimit($0) }) else {
        throw OTLPDecodingError(messageType: messageType, byteCount: bytes.count, reason: "messages nested deeper than \(ProtobufNesting.maxDepth) levels")
    }
    return try ProtobufCArena.withAllocator(initialCapacity: ProtobufCArena.decodeCapacity(encodedBytes: bytes.count)) { allocator in
        let message: UnsafeMutablePointer<Message>? = bytes.withUnsafeBufferPointer { buffer in
            // An empty Array may have no storage; libprotobuf-c reads nothing for length 0,
            // but give it a valid pointer all the same.
            if let base = buffer.baseAddress {
                return unpack(allocator, buffer.count, base)
            }
            var empty: UInt8 = 0
            return withUnsafePointer(to: &empty) { unpack(allocator, 0, $0) }
        }
        guard let message else {
            throw OTLPDecodingError(messageType: messageType, byteCount: bytes.count)
        }
        return try body(message)
    }
}

/// The non-`NULL` elements of a protobuf-c repeated message field (`T **items`, `size_t n_items`).
func elements<Element>(
    _ items: UnsafeMutablePointer<UnsafeMutablePointer<Element>?>?,
    _ count: Int
) -> [UnsafeMutablePointer<Element>] {
    guard let items, count > 0 else { return [] }
    return UnsafeBufferPointer(start: items, count: count).compactMap { $0 }
}

/// Reads a protobuf-c string field (a NUL-terminated `char *`) as a Swift `String`.
///
/// `NULL` reads as `""`. Invalid UTF-8 is repaired with U+FFFD, and the string ends at the
/// first NUL byte, because the length of the original protobuf string is not kept by
/// libprotobuf-c.
func swiftString(_ cString: UnsafeMutablePointer<CChar>?) -> String {
    guard let cString else { return "" }
    return String(cString: cString)
}

/// Calls `body` with a NUL-terminated, mutable copy of `string` suitable for a protobuf-c
/// `char *` string field. The pointer is only valid inside `body`.
///
/// A Swift string that contains a NUL character is cut at that character when libprotobuf-c
/// packs it, since it measures strings with `strlen`.
func withProtobufCString<Result>(
    _ string: String,
    _ body: (UnsafeMutablePointer<CChar>) throws -> Result
) rethrows -> Result {
    var characters = Array(string.utf8CString)
    return try characters.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
}
