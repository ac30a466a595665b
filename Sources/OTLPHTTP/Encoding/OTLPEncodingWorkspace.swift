import OTLPProto

/// The memory an encoder works in, kept from one request to the next: the message builder with its
/// arena, the buffer the packed messages go into, and the buffer the request is assembled in.
///
/// Reusing it saves allocating (and, for buffers the size of a request, faulting in fresh pages of)
/// the same memory for every batch. Each buffer keeps what the requests need, up to
/// ``retainedBytes``: ``releaseExcess()`` gives back what an unusually large request made it grow past that.
/// Noncopyable: one owner, freed once; not for concurrent use (an exporter keeps it behind a lock).
struct OTLPEncodingWorkspace: ~Copyable {
    /// What each of the workspace's memories (arena, message buffer, request buffer) keeps between requests at
    /// most: 4 MiB, room for a batch of 512 spans or log records with several kilobytes of attributes each.
    static let retainedBytes = 4 << 20

    var builder = OTLPMessageBuilder(arena: ProtobufCArena())
    /// The packed resource, scope and item messages, before the framing around them is written.
    var messages = OTLPPackBuffer(capacity: 0)
    /// The last request encoded (`OTLPRequestEncoder.encode(_:estimatedItemSize:into:message:)`).
    var request = OTLPPackBuffer(capacity: 0)

    /// Empties the workspace and frees whatever of its memory is beyond ``retainedBytes`` per buffer.
    mutating func releaseExcess() {
        builder.arena.reset(retainingAtMost: Self.retainedBytes)
        messages.removeAll(retainingAtMost: Self.retainedBytes)
        request.removeAll(retainingAtMost: Self.retainedBytes)
    }

    /// The bytes the workspace holds on to.
    var retainedCapacity: Int {
        builder.arena.capacity + messages.capacity + request.capacity
    }
}
