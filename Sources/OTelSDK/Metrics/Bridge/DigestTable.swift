/// A hash table keyed by 64-bit digests that are already uniformly random (``HandlerKeyDigest``, randomly
/// seeded): a digest's low bits are its slot, with no second hash, where `Dictionary<UInt64, _>` runs SipHash
/// over every key it looks up (create-and-increment through ``HandlerTable``'s per-CPU caches: 159 → 150 ns,
/// docs/benchmarks.md, "Intel Xeon figures").
///
/// Open addressing with linear probing, at most half full, so probe runs stay short. A removal
/// shifts the entries after it back into the gap (no tombstones), so lookups never slow down with churn.
/// A value type without locking of its own: its owner serialises access.
struct DigestTable<Value> {
    fileprivate struct Slot {
        var digest: UInt64
        var value: Value?
    }

    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0

    /// An empty table with room for `capacity` entries before it grows (rounded up to a power of two).
    init(capacity: Int = 8) {
        let size = max(2, (2 * max(capacity, 1) - 1).nextPowerOfTwo)
        slots = Array(repeating: Slot(digest: 0, value: nil), count: size)
        mask = size - 1
    }

    /// The value stored under `digest`; setting `nil` removes it.
    subscript(digest: UInt64) -> Value? {
        get {
            guard case .found(let index) = find(digest) else { return nil }
            return slots[index].value
        }
        set {
            switch (find(digest), newValue) {
            case (.found(let index), let value?):
                slots[index].value = value
            case (.found(let index), nil):
                remove(at: index)
            case (.empty(let index), let value?):
                slots[index] = Slot(digest: digest, value: value)
                count += 1
                if 2 * count > slots.count { grow() }
            case (.empty, nil):
                break
            }
        }
    }

    private enum Probe {
        case found(Int)
        case empty(Int)
    }

    private func find(_ digest: UInt64) -> Probe {
        var index = Int(truncatingIfNeeded: digest) & mask
        while slots[index].value != nil {
            if slots[index].digest == digest { return .found(index) }
            index = (index &+ 1) & mask
        }
        return .empty(index)
    }

    /// Empties slot `gap`, then moves back each later entry of the run whose home slot is not between the gap
    /// and itself (cyclically), so every entry stays reachable from its home without crossing an empty slot.
    private mutating func remove(at gap: Int) {
        var gap = gap
        slots[gap].value = nil
        count -= 1
        var index = gap
        while true {
            index = (index &+ 1) & mask
            guard slots[index].value != nil else { return }
            let home = Int(truncatingIfNeeded: slots[index].digest) & mask
            // Distances from home, cyclically: the entry may move to the gap if the gap is no further from its home.
            if (gap &- home) & mask < (index &- home) & mask {
                slots[gap] = slots[index]
                slots[index].value = nil
                gap = index
            }
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(digest: 0, value: nil), count: old.count * 2)
        mask = slots.count - 1
        count = 0
        for slot in old {
            if let value = slot.value { self[slot.digest] = value }
        }
    }
}

extension DigestTable: Sendable where Value: Sendable {}
extension DigestTable.Slot: Sendable where Value: Sendable {}

extension Int {
    /// The smallest power of two at least `self` (for `self` ≥ 1).
    fileprivate var nextPowerOfTwo: Int {
        1 << (Int.bitWidth - (self - 1).leadingZeroBitCount)
    }
}
