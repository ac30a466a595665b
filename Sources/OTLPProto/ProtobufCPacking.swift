import CProtobufC

/// Serializes a protobuf-c message into a new byte array.
///
/// This is `protobuf_c_message_get_packed_size` followed by `protobuf_c_message_pack`
/// into an exactly sized `[UInt8]`; the message is only read.
///
/// Generated protobuf-c message structs start with a `ProtobufCMessage base` member, so a
/// pointer to such a struct can be passed after reinterpreting it, for example:
///
/// ```swift
/// let request = UnsafeMutablePointer<Opentelemetry__Proto__Collector__Trace__V1__ExportTraceServiceRequest>.allocate(capacity: 1)
/// defer { request.deallocate() }
/// opentelemetry__proto__collector__trace__v1__export_trace_service_request__init(request)
/// // ... fill in the fields ...
/// let body = packProtobufC(UnsafeRawPointer(request).assumingMemoryBound(to: ProtobufCMessage.self))
/// ```
///
/// Keep the message (and everything it points to) in memory whose address is stable, such
/// as `allocate`d pointers, not in the temporary storage of `withUnsafePointer(to:)` on a
/// nested property.
///
/// - Precondition: `message` points to an initialized protobuf-c message (its `descriptor`
///   is set, e.g. by the generated `..._init` function), and every string field holds a
///   valid NUL-terminated C string (an empty string is `""`, never `NULL`). libprotobuf-c
///   aborts on a message without a valid descriptor.
/// - Returns: The protobuf wire encoding of the message; empty for a message whose fields
///   all have their default values.
public func packProtobufC(_ message: UnsafePointer<ProtobufCMessage>) -> [UInt8] {
    let size = protobuf_c_message_get_packed_size(message)
    guard size > 0 else { return [] }
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, initializedCount in
        let written = protobuf_c_message_pack(message, buffer.baseAddress!)
        precondition(written == size, "protobuf_c_message_pack wrote \(written) bytes, expected \(size)")
        initializedCount = written
    }
}

/// Reinterprets a pointer to a generated protobuf-c message struct as a pointer to its
/// leading `ProtobufCMessage base` member, for `packProtobufC(_:)`.
@inline(__always)
func protobufCMessage<Message>(_ message: UnsafeMutablePointer<Message>) -> UnsafePointer<ProtobufCMessage> {
    UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
}
