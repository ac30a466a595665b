import Synchronization

/// Per-CPU copies of a cell's atomic words, for cells that several threads update at the same time:
/// a thread updates the copy (lane) of the CPU it runs on, so two threads running at once never
/// write the same cache line; a drain sums the lanes.
///
/// Allocated only when a cell sees a collision (its owner calls ``spread()`` after a failed
/// compare-and-swap: two threads updating it at once, or an update racing a collection's drain): a
/// cell updated by one thread at a time keeps its single set of words and, unless a collection
/// happens to land mid-update, costs no memory here. Once spread, a cell stays spread. Each lane is
/// `words` atomic 64-bit words, zero at first, padded to whole 128-byte blocks (the pair of cache
/// lines a spatial prefetcher fetches together).
///
/// Thread-safe: ``current()``, ``spread()`` and ``forEachLane(_:)`` may run concurrently. A thread
/// that moves to another CPU between reading its lane and updating it only shares a line for that
/// update; every update still lands in exactly one word.
struct CPULanes: ~Copyable, @unchecked Sendable {
    // @unchecked: `storage` points at atomics, published once (release/acquire) and freed in deinit.
    private let storage = Atomic<UnsafeMutableRawPointer?>(nil)
    private let words: Int
    private let laneStride: Int
    /// Copied at init, so that a lane pick reads no lazily initialised global.
    private let cpu = CurrentCPU.resolved

    private static let blockBytes = 128

    init(words: Int) {
        self.words = words
        let bytes = words * MemoryLayout<UInt64>.stride
        laneStride = (bytes + Self.blockBytes - 1) / Self.blockBytes * Self.blockBytes
    }

    deinit {
        guard let lanes = storage.load(ordering: .acquiring) else { return }
        for lane in 0..<cpu.laneCount {
            (lanes + lane * laneStride).assumingMemoryBound(to: Atomic<UInt64>.self).deinitialize(count: words)
        }
        lanes.deallocate()
    }

    /// The words of the current CPU's lane, or nil while the cell has not been contended.
    @inline(__always)
    func current() -> UnsafeMutablePointer<Atomic<UInt64>>? {
        guard let lanes = storage.load(ordering: .acquiring) else { return nil }
        return lane(lanes, cpu.lane())
    }

    /// The words of the current CPU's lane, allocating the lanes if this is the first contention.
    func spread() -> UnsafeMutablePointer<Atomic<UInt64>> {
        if let lanes = storage.load(ordering: .acquiring) { return lane(lanes, cpu.lane()) }
        let count = cpu.laneCount
        let created = UnsafeMutableRawPointer.allocate(byteCount: count * laneStride, alignment: Self.blockBytes)
        for lane in 0..<count {
            let words = (created + lane * laneStride).bindMemory(to: Atomic<UInt64>.self, capacity: words)
            for index in 0..<self.words { (words + index).initialize(to: Atomic(0)) }
        }
        let (exchanged, winner) = storage.compareExchange(expected: nil, desired: created, ordering: .acquiringAndReleasing)
        if exchanged { return lane(created, cpu.lane()) }
        // Another thread published its lanes first: use them.
        for lane in 0..<count {
            (created + lane * laneStride).assumingMemoryBound(to: Atomic<UInt64>.self).deinitialize(count: words)
        }
        created.deallocate()
        return lane(winner!, cpu.lane())
    }

    /// Calls `body` with each lane's words (nothing while the cell has not been contended).
    func forEachLane(_ body: (UnsafeMutablePointer<Atomic<UInt64>>) -> Void) {
        guard let lanes = storage.load(ordering: .acquiring) else { return }
        for index in 0..<cpu.laneCount { body(lane(lanes, index)) }
    }

    @inline(__always)
    private func lane(_ lanes: UnsafeMutableRawPointer, _ index: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        (lanes + index &* laneStride).assumingMemoryBound(to: Atomic<UInt64>.self)
    }
}
