import NIOConcurrencyHelpers

/// The series of one instrument, keyed by attribute set, and their collection for each reader.
///
/// Measurements go to a series' cell (atomics, no lock); the lock here is only taken to find or
/// create a series (unbound measurements, binding a handle) and to collect. Each collection drains
/// every cell once and adds what it drained to every reader's pending aggregate, so readers with
/// different temporalities see the same measurements: a cumulative reader's aggregate only grows
/// (its start time is the series' creation or last reset), a delta reader's is taken and cleared by
/// its collection (its start time is that reader's previous collection).
///
/// Cardinality: at most `cardinalityLimit` series, the last one being the overflow series
/// (`otel.metric.overflow=true`), which takes every measurement of an attribute set that did not fit.
final class SeriesStorage<A: Aggregation>: Sendable {
    let descriptor: InstrumentDescriptor
    let aggregation: A
    private let scope: InstrumentationScope
    private let resource: Resource
    private let readerCount: Int
    private let cardinalityLimit: Int
    private let clock: @Sendable () -> UInt64

    private struct Series {
        let cell: A.Cell
        let attributes: [Attribute]
        /// Start of the cumulative aggregates: creation or last reset.
        var startNanos: UInt64
        /// Per reader: what it has not collected yet (delta) or everything so far (cumulative).
        var pending: [A.Aggregate?]
        /// Per reader: the end of its previous collection (start of its next delta point).
        var lastCollectedNanos: [UInt64]
    }

    private struct State {
        var live: [AttributeSet: Series] = [:]
        /// Destroyed series with the readers that still have to collect them before they go away.
        var destroyed: [(series: Series, remainingReaders: Set<Int>)] = []
    }

    private let state = NIOLockedValueBox(State())

    init(
        descriptor: InstrumentDescriptor, aggregation: A, scope: InstrumentationScope, resource: Resource,
        readerCount: Int, cardinalityLimit: Int, clock: @escaping @Sendable () -> UInt64
    ) {
        self.descriptor = descriptor
        self.aggregation = aggregation
        self.scope = scope
        self.resource = resource
        self.readerCount = readerCount
        self.cardinalityLimit = max(cardinalityLimit, 2)
        self.clock = clock
    }

    /// The cell of the series for `attributes`, created if needed (or the overflow series' cell
    /// when the limit is reached). Keep it to record without this lookup.
    func cell(for attributes: AttributeSet) -> A.Cell {
        state.withLockedValue { state in
            if let existing = state.live[attributes] { return existing.cell }
            let key = state.live.count < cardinalityLimit - 1 ? attributes : .overflow
            if let overflow = state.live[key] { return overflow.cell }
            let now = clock()
            let created = Series(
                cell: aggregation.makeCell(), attributes: key.attributes, startNanos: now,
                pending: Array(repeating: nil, count: readerCount),
                lastCollectedNanos: Array(repeating: now, count: readerCount))
            state.live[key] = created
            return created.cell
        }
    }

    /// Forgets the series for `attributes` if `cell` is still its cell, once every reader has
    /// collected what it took (nothing recorded before is lost). Later measurements through `cell`
    /// are not collected; the attribute set starts a new series if used again.
    func destroy(_ attributes: AttributeSet, cell: A.Cell) {
        state.withLockedValue { state in
            guard state.live[attributes]?.cell === cell, let removed = state.live.removeValue(forKey: attributes) else { return }
            // With no reader, nothing would ever collect (and so release) it.
            guard readerCount > 0 else { return }
            state.destroyed.append((removed, Set(0..<readerCount)))
        }
    }

    /// How many series are live, and how many destroyed ones wait for a reader's collection.
    var seriesCount: (live: Int, destroyed: Int) {
        state.withLockedValue { ($0.live.count, $0.destroyed.count) }
    }

    /// Restarts the series for `attributes` at zero now if `cell` is still its cell: what was recorded
    /// and not collected is discarded, and cumulative points start at the time of the reset. A
    /// destroyed series (or one that replaced it) is left alone.
    func reset(_ attributes: AttributeSet, cell: A.Cell) {
        state.withLockedValue { state in
            guard var entry = state.live[attributes], entry.cell === cell else { return }
            _ = aggregation.drain(entry.cell)
            let now = clock()
            entry.startNanos = now
            entry.pending = Array(repeating: nil, count: readerCount)
            entry.lastCollectedNanos = Array(repeating: now, count: readerCount)
            state.live[attributes] = entry
        }
    }

    /// The metric as `reader` sees it now, or nil when it has no points for that reader.
    func collect(reader: Int, temporality: AggregationTemporality, now: UInt64) -> MetricData? {
        let (points, destroyedPoints) = state.withLockedValue { state -> ([CollectedPoint<A.Aggregate>], Int) in
            var points: [CollectedPoint<A.Aggregate>] = []
            var index = state.live.values.startIndex
            while index != state.live.values.endIndex {
                collect(&state.live.values[index], reader: reader, temporality: temporality, now: now, into: &points)
                state.live.values.formIndex(after: &index)
            }
            let livePoints = points.count
            for position in state.destroyed.indices.reversed() {
                collect(&state.destroyed[position].series, reader: reader, temporality: temporality, now: now, into: &points)
                state.destroyed[position].remainingReaders.remove(reader)
                if state.destroyed[position].remainingReaders.isEmpty { state.destroyed.remove(at: position) }
            }
            return (points, points.count - livePoints)
        }
        guard !points.isEmpty else { return nil }
        // A delta collection takes what it reports; a cumulative one repeats its live series next time, but a
        // destroyed series' final point (last in `points`) never again.
        return MetricData(
            resource: resource, scope: scope, name: descriptor.name, description: descriptor.description,
            unit: descriptor.unit, points: aggregation.points(points, temporality: temporality),
            unrepeatedPointCount: temporality == .delta ? points.count : destroyedPoints)
    }

    private func collect(
        _ entry: inout Series, reader: Int, temporality: AggregationTemporality, now: UInt64,
        into points: inout [CollectedPoint<A.Aggregate>]
    ) {
        if let drained = aggregation.drain(entry.cell) {
            for index in entry.pending.indices {
                if entry.pending[index] == nil {
                    entry.pending[index] = drained
                } else {
                    aggregation.merge(&entry.pending[index]!, drained)
                }
            }
        }
        guard let aggregate = entry.pending[reader] else { return }
        switch temporality {
        case .cumulative:
            points.append(CollectedPoint(attributes: entry.attributes, startNanos: entry.startNanos, timeNanos: now, aggregate: aggregate))
        case .delta:
            if !aggregation.isEmpty(aggregate) {
                points.append(CollectedPoint(
                    attributes: entry.attributes, startNanos: entry.lastCollectedNanos[reader], timeNanos: now, aggregate: aggregate))
            }
            entry.pending[reader] = nil
            entry.lastCollectedNanos[reader] = now
        }
    }
}
