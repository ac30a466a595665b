import CProtobufC

/// Owns the C memory of protobuf-c messages that a test builds by hand with the generated
/// C API, and frees it when the arena goes away.
final class CMessageArena {
    private var deallocations: [() -> Void] = []

    deinit {
        for deallocate in deallocations { deallocate() }
    }

    /// A new message, initialized with its generated `..._init` function.
    func message<Message>(_ initialize: (UnsafeMutablePointer<Message>?) -> Void) -> UnsafeMutablePointer<Message> {
        let pointer = UnsafeMutablePointer<Message>.allocate(capacity: 1)
        initialize(pointer)
        deallocations.append { pointer.deallocate() }
        return pointer
    }

    /// The `T **` array of a repeated message field; pair it with `elements.count`.
    func array<Element>(_ elements: [UnsafeMutablePointer<Element>]) -> UnsafeMutablePointer<UnsafeMutablePointer<Element>?> {
        let pointer = UnsafeMutablePointer<UnsafeMutablePointer<Element>?>.allocate(capacity: max(elements.count, 1))
        for (index, element) in elements.enumerated() { pointer[index] = element }
        deallocations.append { pointer.deallocate() }
        return pointer
    }

    /// A copy of `bytes` for a `bytes` field (`ProtobufCBinaryData`).
    func binary(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        pointer.initialize(from: bytes, count: bytes.count)
        deallocations.append { pointer.deallocate() }
        return ProtobufCBinaryData(len: bytes.count, data: pointer)
    }

    /// A NUL-terminated copy of `string` for a `char *` field.
    func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        let characters = Array(string.utf8CString)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: characters.count)
        pointer.initialize(from: characters, count: characters.count)
        deallocations.append { pointer.deallocate() }
        return pointer
    }
}

/// A generated message struct seen as its leading `ProtobufCMessage base`.
func baseMessage<Message>(_ message: UnsafeMutablePointer<Message>) -> UnsafePointer<ProtobufCMessage> {
    UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
}
