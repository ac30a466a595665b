import CProtobufC

/// A bump allocator for the short-lived C structs and strings of one protobuf-c message tree: the
/// exporter builds request messages in one (reset per request), and ``withUnpackedProtobufC`` has
/// libprotobuf-c unpack into one (``withAllocator(initialCapacity:_:)``), so that a decoded request costs a few chunk
/// allocations instead of one `malloc` and `free` per message, array and string.
///
/// Memory comes from a few large chunks; `allocate` only moves a cursor. Nothing is freed
/// individually: `reset()` rewinds to the start of the first chunk (keeping every chunk for
/// reuse), and `deinit` frees all chunks. Being noncopyable, the arena has exactly one owner
/// and its memory is released exactly once, on every path out of the owning scope.
///
/// Everything handed out is raw, uninitialized memory bound to the requested (trivial C)
/// type; callers initialize it. Pointers into the arena are valid until the next `reset()`
/// or the end of the arena's lifetime, whichever comes first.
public struct ProtobufCArena: ~Copyable {
    private struct Chunk {
        let base: UnsafeMutableRawPointer
        let size: Int
    }

    /// Chunk alignment; every C struct of the OTLP messages needs at most 8.
    private static let chunkAlignment = 16

    private var chunks: [Chunk]
    /// Index in `chunks` of the chunk being filled.
    private var current = 0
    // The fast path's state, reachable from `allocate`, which is inlined into the modules that use the
    // arena. (Declared `public` rather than `package` for that: this compiler does not inline a
    // `package` function's `@inlinable` body into another module, which cost the encoder ~3 % more
    // instructions per span.)
    /// Base of the chunk being filled (`chunks[current].base`, cached).
    @usableFromInline var base: UnsafeMutableRawPointer
    /// Offset of the next free byte in the chunk being filled.
    @usableFromInline var offset = 0
    /// Size of the chunk being filled.
    @usableFromInline var size: Int
    private let minimumChunkSize: Int
    /// Bytes requested since the last `reset()` (alignment padding and skipped chunk tails not
    /// included).
    public var allocatedBytes: Int { requestedBytes }
    @usableFromInline var requestedBytes = 0

    /// Creates an arena whose first chunk holds `initialCapacity` bytes; later chunks are at
    /// least `minimumChunkSize` bytes (and as large as the allocation that needs them).
    public init(initialCapacity: Int = 64 << 10, minimumChunkSize: Int = 64 << 10) {
        let first = max(initialCapacity, 64)
        base = UnsafeMutableRawPointer.allocate(byteCount: first, alignment: Self.chunkAlignment)
        size = first
        chunks = [Chunk(base: base, size: first)]
        self.minimumChunkSize = max(minimumChunkSize, 64)
    }

    deinit {
        for chunk in chunks {
            chunk.base.deallocate()
        }
    }

    /// Total bytes of all chunks (for tests and diagnostics).
    public var capacity: Int {
        chunks.reduce(0) { $0 + $1.size }
    }

    /// Number of chunks allocated so far (for tests and diagnostics).
    public var chunkCount: Int { chunks.count }

    /// Forgets every allocation, keeping the chunks for reuse. Invalidates all pointers handed out.
    public mutating func reset() {
        rewind()
    }

    /// Forgets every allocation like ``reset()``, and frees the chunks beyond the first ones whose sizes add up to
    /// at most `limit` bytes (the first chunk is always kept): after an unusually large message tree, the arena
    /// goes back to what normal ones need.
    public mutating func reset(retainingAtMost limit: Int) {
        var retained = chunks[0].size
        var kept = 1
        while kept < chunks.count, retained + chunks[kept].size <= limit {
            retained += chunks[kept].size
            kept += 1
        }
        for chunk in chunks[kept...] {
            chunk.base.deallocate()
        }
        chunks.removeSubrange(kept...)
        rewind()
    }

    private mutating func rewind() {
        current = 0
        base = chunks[0].base
        size = chunks[0].size
        offset = 0
        requestedBytes = 0
    }

    /// `byteCount` uninitialized bytes aligned to `alignment` (a power of two, at most 16).
    @inlinable @inline(__always)
    public mutating func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        requestedBytes &+= byteCount
        let start = (offset &+ alignment &- 1) & ~(alignment &- 1)
        if start &+ byteCount <= size {
            offset = start &+ byteCount
            return base + start
        }
        return allocateSlowly(byteCount: byteCount, alignment: alignment)
    }

    /// Uninitialized memory for `count` values of the trivial type `T`.
    @inlinable @inline(__always)
    public mutating func allocate<T>(_ type: T.Type, count: Int = 1) -> UnsafeMutablePointer<T> {
        allocate(byteCount: MemoryLayout<T>.stride &* count, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: count)
    }

    /// Moves on to the next chunk that fits, reusing chunks kept by `reset()` before making a new one.
    @usableFromInline mutating func allocateSlowly(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        precondition(byteCount >= 0 && alignment > 0 && alignment <= Self.chunkAlignment && alignment & (alignment - 1) == 0)
        while current + 1 < chunks.count {
            current += 1
            let chunk = chunks[current]
            if byteCount <= chunk.size {
                base = chunk.base
                size = chunk.size
                offset = byteCount
                return base
            }
        }
        // Grow geometrically so a large request needs few chunks.
        let newSize = max(byteCount, minimumChunkSize, min(size * 2, 16 << 20))
        let chunk = Chunk(base: UnsafeMutableRawPointer.allocate(byteCount: newSize, alignment: Self.chunkAlignment), size: newSize)
        chunks.append(chunk)
        current = chunks.count - 1
        base = chunk.base
        size = newSize
        offset = byteCount
        return base
    }
}

extension ProtobufCArena {
    /// The most a decode arena reserves up front: 1 MiB.
    static let maxInitialDecodeCapacity = 1 << 20

    /// The first chunk of the arena that unpacks `encodedBytes` of protobuf: decoded trees take about four to five
    /// times their encoded size, so five times the size plus a little, but at most ``maxInitialDecodeCapacity``.
    /// Beyond that the arena grows only as far as the tree really needs, so a large body whose decoded tree is small
    /// (one big byte string) does not reserve five times its size.
    static func decodeCapacity(encodedBytes: Int) -> Int {
        min(encodedBytes * 5 + 256, maxInitialDecodeCapacity)
    }

    /// Runs `body` with a libprotobuf-c allocator that takes its memory from a new arena, and frees
    /// all of it when `body` returns or throws. The allocator's `free` does nothing: what libprotobuf-c
    /// allocates lives exactly as long as the arena. So never hand a message unpacked with it to a
    /// `..._free_unpacked` function, and use nothing it allocated after `body` ends.
    static func withAllocator<Result>(
        initialCapacity: Int,
        _ body: (UnsafeMutablePointer<ProtobufCAllocator>) throws -> Result
    ) rethrows -> Result {
        // The allocator points at the arena, so the arena needs a fixed address.
        let arena = UnsafeMutablePointer<ProtobufCArena>.allocate(capacity: 1)
        arena.initialize(to: ProtobufCArena(initialCapacity: initialCapacity))
        defer {
            arena.deinitialize(count: 1)
            arena.deallocate()
        }
        var allocator = ProtobufCAllocator(
            alloc: { data, size in
                // The alignment malloc guarantees, which libprotobuf-c may count on.
                data!.assumingMemoryBound(to: ProtobufCArena.self).pointee.allocate(byteCount: size, alignment: ProtobufCArena.chunkAlignment)
            },
            free: { _, _ in },
            allocator_data: UnsafeMutableRawPointer(arena)
        )
        return try body(&allocator)
    }
}
