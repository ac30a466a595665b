import NIOConcurrencyHelpers

/// The handlers of ``OTelMetricsFactory`` by key: at most one live series per key.
///
/// `Counter(label:dimensions:)` looks its handler up on every call, often from several threads at
/// once with the same key. One table behind one lock made those threads queue on that lock (two
/// tasks creating the same counter took 6–7× the CPU of one, with tens of thousands of context
/// switches per run), and one shared handler object made them write one reference count. So lookups
/// go to a per-CPU cache first, each behind its own lock and holding its own replica of each handler
/// (``BridgedHandler/replica()``): threads on different CPUs take different locks and retain
/// different objects. The table behind its lock
/// stays what decides which series a key has; a cache only holds replicas of the table's handlers.
///
/// Thread-safe. Lock order: the table, then a cache. An entry enters a cache and leaves every cache
/// while the table's lock is held, so a removed series is never found afterwards: a lookup that
/// follows ``remove(_:)`` gets a new one.
///
/// Memory is bounded: at most `capacity` keys are kept (and one replica per CPU and key looked up there). A key
/// that finds the table full gets a handler that is not kept: it is bound to the same series as any other handler
/// of its key (the series storage decides, and its cardinality limit applies), so nothing recorded is lost, but
/// each lookup of that key makes a handler anew. Labels or dimensions with unbounded values (request IDs) would
/// otherwise grow the table for the life of the process.
final class HandlerTable: Sendable {
    /// The default `capacity`: room for every series of several instruments at the default cardinality limit.
    static let defaultCapacity = 16_384

    private let capacity: Int
    private let table = NIOLockedValueBox<[HandlerKey: any BridgedHandler]>([:])
    private let caches: [NIOLockedValueBox<Cache>]
    private let cpu = CurrentCPU.resolved
    /// Seeds the keys' digests (``HandlerKeyDigest``).
    private let seed = UInt64.random(in: .min ... .max)

    /// One CPU's copy of (part of) the table, keyed by the keys' digests alone (``DigestTable``): a hit is checked
    /// against the caller's label and dimensions (``BridgedHandler/hasKey(_:_:_:digest:)``), so a lookup
    /// builds no key and retains none of the caller's strings or arrays (with a dimensions array shared
    /// by several threads, such a retain writes one cache line from all of them). Two keys with one
    /// digest (odds 2⁻⁶⁴ per pair, the seed being random) take turns in the slot, each miss going to
    /// the table.
    private struct Cache {
        /// Puts this cache's lock, which sits after it in the same allocation, at least 128 bytes from
        /// the start of the allocation, away from the previous cache's lock (the end of the previous
        /// allocation): two CPUs' locks never share a cache line or an adjacent-line prefetch pair.
        private let padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                              UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var handlers = DigestTable<any BridgedHandler>()
    }

    init(capacity: Int = HandlerTable.defaultCapacity) {
        self.capacity = capacity
        caches = (0..<cpu.laneCount).map { _ in NIOLockedValueBox(Cache()) }
    }

    /// How many keys the table holds.
    var count: Int { table.withLockedValue { $0.count } }

    /// A handler bound to the series of `kind`, `label` and `dimensions`: this CPU's replica of the
    /// table's handler for them, or of the one `make(key)` returns, which then becomes their handler.
    func handler(
        _ kind: HandlerKey.Kind, _ label: String, _ dimensions: [(String, String)],
        make: (HandlerKey) -> any BridgedHandler
    ) -> any BridgedHandler {
        let digest = HandlerKey.digest(kind, label, dimensions, seed: seed)
        let cache = caches[cpu.lane()]
        if let cached = cache.withLockedValue({ $0.handlers[digest] }),
            cached.hasKey(kind, label, dimensions, digest: digest)
        {
            return cached
        }
        let key = HandlerKey(kind, label, dimensions, digest: digest)
        return table.withLockedValue { table in
            let handler: any BridgedHandler
            if let existing = table[key] {
                handler = existing
            } else {
                handler = make(key)
                guard table.count < capacity else { return handler }
                table[key] = handler
            }
            let replica = handler.replica()
            cache.withLockedValue { $0.handlers[digest] = replica }
            return replica
        }
    }

    /// Removes `handler`'s key from the table and every cache if `handler` is bound to its key's series.
    func remove(_ handler: any BridgedHandler) {
        table.withLockedValue { table in
            guard table[handler.key]?.series == handler.series else { return }
            table.removeValue(forKey: handler.key)
            for cache in caches {
                cache.withLockedValue { cache in
                    if cache.handlers[handler.key.digest]?.series == handler.series {
                        cache.handlers[handler.key.digest] = nil
                    }
                }
            }
        }
    }
}
