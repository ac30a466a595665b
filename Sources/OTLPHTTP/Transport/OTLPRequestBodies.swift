import NIOConcurrencyHelpers
import NIOCore
import OTLPProto

/// Makes an exporter's request bodies in memory kept from one request to the next: the encoder's
/// workspace, zlib's state when bodies are gzipped (set up once, reset per body), and the buffer a
/// body is sent from.
///
/// Bodies are written into two buffers in turn, because the next body is made while the transport
/// still sends the last one (``TelemetryExporter/prepare(_:)``): each is written straight into the
/// buffer the body before last was sent from, which the transport no longer holds by then (else
/// `ByteBuffer` copies on write into fresh memory), so a steady stream of exports reuses the same
/// pages instead of allocating and faulting in new ones per request. What is kept is bounded: the
/// workspace's buffers keep at most ``OTLPEncodingWorkspace/retainedBytes`` each, and a body buffer
/// larger than that is replaced by a fresh one before it is written again, so an unusually large
/// request's memory goes back once two normal ones have followed it.
///
/// Thread-safe: one body is made at a time, under a lock (a processor exports one batch at a time,
/// so it never waits). Hence `@unchecked Sendable`: the state is only reached under `lock`.
final class OTLPRequestBodies: @unchecked Sendable {
    private let lock = NIOLock()
    private var workspace = OTLPEncodingWorkspace()
    /// `nil` when bodies are sent as encoded.
    private var deflater: GzipDeflater?
    /// The buffers bodies are written into, in turn; `next` indexes the one to write next.
    private var buffers = [ByteBuffer(), ByteBuffer()]
    private var next = 0

    /// - Parameter gzipLevel: the zlib level to compress bodies at, or `nil` to send them as encoded.
    /// - Throws: `GzipError` if zlib rejects the level or cannot allocate its state.
    init(gzipLevel: Int32?) throws {
        deflater = try gzipLevel.map { try GzipDeflater(level: $0) }
    }

    /// The body of the request that `encode` writes into the workspace (`workspace.request`).
    func body(_ encode: (inout OTLPEncodingWorkspace) -> Void) throws -> ByteBuffer {
        try lock.withLock {
            encode(&workspace)
            defer { workspace.releaseExcess() }
            return try fill(from: workspace.request.bytes)
        }
    }

    /// The body of a request encoded elsewhere.
    func body(encoded: [UInt8]) throws -> ByteBuffer {
        try lock.withLock {
            try encoded.withUnsafeBytes { try fill(from: $0) }
        }
    }

    /// Writes `bytes`, gzipped when configured, over the body before last. Runs under `lock`.
    private func fill(from bytes: UnsafeRawBufferPointer) throws -> ByteBuffer {
        defer { next = 1 - next }
        if buffers[next].capacity > OTLPEncodingWorkspace.retainedBytes {
            buffers[next] = ByteBuffer()
        }
        buffers[next].clear()
        if let bound = deflater?.compressedSizeBound(inputCount: bytes.count) {
            try buffers[next].writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { output in
                try deflater!.compress(bytes, into: output)
            }
        } else {
            buffers[next].writeBytes(bytes)
        }
        return buffers[next]
    }

    /// The bytes kept between requests: the workspace's and both body buffers'.
    var retainedCapacity: Int {
        lock.withLock { workspace.retainedCapacity + buffers[0].capacity + buffers[1].capacity }
    }
}
