import OTLPProto

/// The memory an encoder works in, kept from one request to the next: the message builder with its
/// arena, the buffer the packed messages go into, and the buffer the request is assembled in.
///
/// Reusing it saves allocating (and, for buffers the size of a request, faulting in fresh pages of)
/// the same memory for every batch. Each buffer keeps the capacity of the largest request it held.
/// Noncopyable: one owner, freed once; not for concurrent use (an exporter keeps it behind a lock).
struct OTLPEncodingWorkspace: ~Copyable {
    var builder = OTLPMessageBuilder(arena: ProtobufCArena())
    /// The packed resource, scope and item messages, before the framing around them is written.
    var messages = OTLPPackBuffer(capacity: 0)
    /// The last request encoded (`OTLPRequestEncoder.encode(_:estimatedItemSize:into:message:)`).
    var request = OTLPPackBuffer(capacity: 0)
}
