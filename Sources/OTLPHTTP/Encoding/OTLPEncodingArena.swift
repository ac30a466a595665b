/// A bump allocator for the short-lived C structs and strings of one protobuf-c message tree.
///
/// Memory comes from a few large chunks; `allocate` only moves a cursor. Nothing is freed
/// individually: `reset()` rewinds to the start of the first chunk (keeping every chunk for
/// reuse), and `deinit` frees all chunks. Being noncopyable, the arena has exactly one owner
/// and its memory is released exactly once, on every path out of the owning scope.
///
/// Everything handed out is raw, uninitialized memory bound to the requested (trivial C)
/// type; callers initialize it. Pointers into the arena are valid until the next `reset()`
/// or the end of the arena's lifetime, whichever comes first.
struct OTLPEncodingArena: ~Copyable {
    private struct Chunk {
        let base: UnsafeMutableRawPointer
        let size: Int
    }

    /// Chunk alignment; every C struct of the OTLP messages needs at most 8.
    private static let chunkAlignment = 16

    private var chunks: [Chunk]
    /// Index in `chunks` of the chunk being filled.
    private var current = 0
    /// Base of the chunk being filled (`chunks[current].base`, cached).
    private var base: UnsafeMutableRawPointer
    /// Offset of the next free byte in the chunk being filled.
    private var offset = 0
    /// Size of the chunk being filled.
    private var size: Int
    private let minimumChunkSize: Int
    /// Bytes requested since the last `reset()` (alignment padding and skipped chunk tails not
    /// included).
    private(set) var allocatedBytes = 0

    /// Creates an arena whose first chunk holds `initialCapacity` bytes; later chunks are at
    /// least `minimumChunkSize` bytes (and as large as the allocation that needs them).
    init(initialCapacity: Int = 64 << 10, minimumChunkSize: Int = 64 << 10) {
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
    var capacity: Int {
        chunks.reduce(0) { $0 + $1.size }
    }

    /// Number of chunks allocated so far (for tests and diagnostics).
    var chunkCount: Int { chunks.count }

    /// Forgets every allocation, keeping the chunks for reuse. Invalidates all pointers handed out.
    mutating func reset() {
        current = 0
        base = chunks[0].base
        size = chunks[0].size
        offset = 0
        allocatedBytes = 0
    }

    /// `byteCount` uninitialized bytes aligned to `alignment` (a power of two, at most 16).
    @inline(__always)
    mutating func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        allocatedBytes &+= byteCount
        let start = (offset &+ alignment &- 1) & ~(alignment &- 1)
        if start &+ byteCount <= size {
            offset = start &+ byteCount
            return base + start
        }
        return allocateSlowly(byteCount: byteCount, alignment: alignment)
    }

    /// Uninitialized memory for `count` values of the trivial type `T`.
    @inline(__always)
    mutating func allocate<T>(_ type: T.Type, count: Int = 1) -> UnsafeMutablePointer<T> {
        allocate(byteCount: MemoryLayout<T>.stride &* count, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: count)
    }

    /// Moves on to the next chunk that fits, reusing chunks kept by `reset()` before making a new one.
    private mutating func allocateSlowly(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
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
