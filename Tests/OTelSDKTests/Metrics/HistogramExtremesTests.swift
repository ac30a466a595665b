import Testing

@testable import OTelSDK

/// A collection can take a measurement's bucket before the measurement has written its min and max
/// (``HistogramCell`` writes them last). Such a point has a count but no known extremes, and must not
/// reach the wire with the cell's sentinels: the official receiver rejects `min inf > max -inf`, seen
/// once in CI's delta-temporality conformance run with a receiver failing every third request.
@Suite("histogram min and max", .timeLimit(.minutes(2)))
struct HistogramExtremesTests {
    private let aggregation = HistogramAggregation(bounds: [1, 10])

    private func point(_ aggregate: HistogramAggregate) -> HistogramDataPoint? {
        let collected = CollectedPoint(attributes: [], startNanos: 1, timeNanos: 2, aggregate: aggregate)
        guard case .histogram(let points) = aggregation.points([collected], temporality: .delta) else { return nil }
        return points.points.first
    }

    @Test("a point whose measurements' extremes were not yet written has count and buckets, no min or max")
    func unknownExtremesAreLeftOut() throws {
        let drainedEarly = HistogramAggregate(count: 1, sum: 5, min: .infinity, max: -.infinity, bucketCounts: [0, 1, 0])
        let exported = try #require(point(drainedEarly))
        #expect(exported.count == 1)
        #expect(exported.bucketCounts == [0, 1, 0])
        #expect(exported.min == nil)
        #expect(exported.max == nil)
    }

    @Test("unknown extremes merge as the identity: a later known extreme is kept as is")
    func unknownExtremesMergeAway() throws {
        var accumulated = HistogramAggregate(count: 1, sum: 5, min: .infinity, max: -.infinity, bucketCounts: [0, 1, 0])
        accumulated.merge(HistogramAggregate(count: 1, sum: 20, min: 20, max: 20, bucketCounts: [0, 0, 1]))
        let exported = try #require(point(accumulated))
        #expect(exported.count == 2)
        #expect(exported.min == 20)
        #expect(exported.max == 20)
    }

    @Test("a cell drained between measurements reports the extremes of what it counted")
    func drainedCellKeepsItsExtremes() throws {
        let cell = HistogramCell(bounds: [1, 10])
        cell.record(3)
        cell.record(0.5)
        let first = try #require(cell.drain())
        #expect(first.hasExtremes && first.min == 0.5 && first.max == 3)
        cell.record(7)
        let second = try #require(cell.drain())
        #expect(second.count == 1 && second.min == 7 && second.max == 7)
        #expect(cell.drain() == nil)
    }

    @Test("an extreme written after its bucket was collected never outlives the next collection")
    func lateExtremeIsDiscardedByAnEmptyCollection() throws {
        let cell = HistogramCell(bounds: [1, 10])
        cell.record(5)
        _ = try #require(cell.drain())
        // The extreme of a measurement that collection counted, written after it (the race).
        cell.noteExtremes(0.5)
        // The next interval counts nothing; the one after counts a 7, whose extremes are 7 alone.
        #expect(cell.drain() == nil)
        cell.record(7)
        let later = try #require(cell.drain())
        #expect(later.count == 1 && later.min == 7 && later.max == 7)
    }
}
