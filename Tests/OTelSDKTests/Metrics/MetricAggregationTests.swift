import NIOConcurrencyHelpers
import OTelSDK
import OTelTesting
import Testing

@Suite("Metric aggregation", .timeLimit(.minutes(2)))
struct MetricAggregationTests {
    @Test("cumulative sums keep growing from one start time; delta sums restart at each collection")
    func deltaVersusCumulative() async throws {
        for preference in [TemporalityPreference.cumulative, .delta] {
            let harness = MetricsHarness(preference)
            let counter = harness.meter.counter(name: "requests", of: Int64.self)
            counter.add(3, attributes: [Attribute("route", .string("/a"))])
            counter.add(4, attributes: [Attribute("route", .string("/a"))])
            let first = try #require(await harness.collect()["requests"]?.sum)
            counter.add(5, attributes: [Attribute("route", .string("/a"))])
            let second = try #require(await harness.collect()["requests"]?.sum)
            let third = await harness.collect()["requests"]?.sum

            #expect(first.isMonotonic)
            let a = try #require(first.points.first)
            let b = try #require(second.points.first)
            #expect(a.startTimeNanos > 0 && a.startTimeNanos <= a.timeNanos)
            if preference == .cumulative {
                #expect(first.temporality == .cumulative && second.temporality == .cumulative)
                #expect(a.int == 7 && b.int == 12)
                #expect(b.startTimeNanos == a.startTimeNanos)
                #expect(third?.points.first?.int == 12)  // reported again, unchanged
            } else {
                #expect(first.temporality == .delta && second.temporality == .delta)
                #expect(a.int == 7 && b.int == 5)
                #expect(b.startTimeNanos == a.timeNanos)  // the previous collection's end
                #expect(third == nil)  // nothing measured since: no point
            }
        }
    }

    @Test("delta preference keeps up-down counters cumulative; lowmemory keeps observable counters cumulative")
    func temporalityPerKind() {
        #expect(TemporalityPreference.delta.temporality(for: .counter) == .delta)
        #expect(TemporalityPreference.delta.temporality(for: .observableCounter) == .delta)
        #expect(TemporalityPreference.delta.temporality(for: .upDownCounter) == .cumulative)
        #expect(TemporalityPreference.lowMemory.temporality(for: .histogram) == .delta)
        #expect(TemporalityPreference.lowMemory.temporality(for: .observableCounter) == .cumulative)
        #expect(TemporalityPreference.cumulative.temporality(for: .histogram) == .cumulative)
        let warnings = LogCapture()
        let environment = OTelEnvironment(["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "LowMemory"], diagnostics: warnings.logger)
        #expect(TemporalityPreference(environment: environment) == .lowMemory)
        let bad = OTelEnvironment(["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "sometimes"], diagnostics: warnings.logger)
        #expect(TemporalityPreference(environment: bad) == .cumulative)
        #expect(warnings.messages.count == 1)
    }

    @Test("a value equal to a bound counts in the bucket that bound closes; count, sum, min, max")
    func histogramBucketEdges() async throws {
        let harness = MetricsHarness()
        let histogram = harness.meter.histogram(name: "latency", unit: "ms", bounds: [0, 5, 10], of: Double.self)
        for value in [-1.0, 0, 0.1, 5, 5.000001, 10, 11, .nan] {
            histogram.record(value)
        }
        let points = try #require(await harness.collect()["latency"]?.histogram)
        let point = try #require(points.points.first)
        #expect(point.bounds == [0, 5, 10])
        #expect(point.bucketCounts == [2, 2, 2, 1])  // (-inf,0] (0,5] (5,10] (10,inf); NaN ignored
        #expect(point.count == 7)
        #expect(point.bucketCounts.reduce(0, +) == point.count)
        #expect(abs(point.sum - 30.100001) < 1e-9)
        #expect(point.min == -1 && point.max == 11)
    }

    @Test("the spec's default bounds; an invalid set of bounds falls back to them")
    func defaultBounds() async throws {
        let harness = MetricsHarness()
        harness.meter.histogram(name: "default", of: Int64.self).record(7)
        harness.meter.histogram(name: "unsorted", bounds: [5, 1], of: Double.self).record(7)
        let collected = await harness.collect()
        let expected: [Double] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]
        #expect(collected["default"]?.histogram?.points.first?.bounds == expected)
        #expect(collected["default"]?.histogram?.points.first?.bucketCounts[2] == 1)
        #expect(collected["unsorted"]?.histogram?.points.first?.bounds == expected)
    }

    @Test("delta histograms reset count, buckets, min and max at each collection")
    func deltaHistogram() async throws {
        let harness = MetricsHarness(.delta)
        let histogram = harness.meter.histogram(name: "size", bounds: [10], of: Double.self).bind([])
        histogram.record(1)
        histogram.record(20)
        let first = try #require(await harness.collect()["size"]?.histogram?.points.first)
        histogram.record(5)
        let second = try #require(await harness.collect()["size"]?.histogram?.points.first)
        #expect(first.count == 2 && first.min == 1 && first.max == 20)
        #expect(second.count == 1 && second.bucketCounts == [1, 0] && second.min == 5 && second.max == 5 && second.sum == 5)
        #expect(second.startTimeNanos == first.timeNanos)
    }

    @Test("beyond the cardinality limit, measurements go to the otel.metric.overflow series")
    func cardinalityOverflow() async throws {
        let harness = MetricsHarness(cardinalityLimit: 4)
        let counter = harness.meter.counter(name: "hits", of: Int64.self)
        for user in 0..<10 {
            counter.add(1, attributes: [Attribute("user", .int(Int64(user)))])
        }
        counter.add(1, attributes: [Attribute("user", .int(0))])  // an existing series still takes its own
        let points = try #require(await harness.collect()["hits"]?.sum?.points)
        #expect(points.count == 4)
        let overflow = points.first { $0.attributes == [Attribute("otel.metric.overflow", .bool(true))] }
        #expect(overflow?.int == 7)
        #expect(points.first { $0.attributes == [Attribute("user", .int(0))] }?.int == 2)
        #expect(points.compactMap(\.int).reduce(0, +) == 11)
    }

    @Test("attribute sets are unordered: the same set in another order is the same series")
    func attributeOrder() async throws {
        let harness = MetricsHarness()
        let counter = harness.meter.upDownCounter(name: "queue", of: Int64.self)
        counter.add(5, attributes: [Attribute("a", .string("1")), Attribute("b", .string("2"))])
        counter.add(-2, attributes: [Attribute("b", .string("2")), Attribute("a", .string("1"))])
        let sum = try #require(await harness.collect()["queue"]?.sum)
        #expect(!sum.isMonotonic && sum.temporality == .cumulative)
        #expect(sum.points.map(\.int) == [3])
    }

    @Test("counters ignore negative values; double counters keep fractions")
    func counterValues() async throws {
        let harness = MetricsHarness()
        let counter = harness.meter.counter(name: "bytes", of: Double.self)
        counter.add(1.25)
        counter.add(-10)
        counter.bind([]).add(0.5)
        #expect(await harness.collect()["bytes"]?.sum?.points.first?.double == 1.75)
    }

    @Test("synchronous gauges report the last value set")
    func gauge() async throws {
        let harness = MetricsHarness()
        let gauge = harness.meter.gauge(name: "temperature", unit: "Cel", of: Double.self)
        gauge.record(20.5)
        gauge.record(21.5)
        let points = try #require(await harness.collect()["temperature"]?.gauge)
        #expect(points.map(\.double) == [21.5])
        #expect(points[0].timeNanos > 0)
    }

    @Test("observable instruments: callbacks run at each collection; counters in both temporalities")
    func observables() async throws {
        for preference in [TemporalityPreference.cumulative, .delta] {
            let harness = MetricsHarness(preference)
            let total = ManagedCounter()
            harness.meter.observableCounter(name: "cpu.time", unit: "s", of: Double.self) { result in
                result.observe(total.next(by: 1.5), attributes: [Attribute("cpu", .int(0))])
            }
            harness.meter.observableGauge(name: "memory", of: Int64.self) { result in
                result.observe(42)
            }
            harness.meter.observableUpDownCounter(name: "threads", of: Int64.self) { result in
                result.observe(8)
            }
            let first = await harness.collect()
            let second = await harness.collect()
            #expect(first["memory"]?.gauge?.first?.int == 42)
            #expect(first["threads"]?.sum?.points.first?.int == 8 && first["threads"]?.sum?.isMonotonic == false)
            #expect(first["cpu.time"]?.sum?.points.first?.double == 1.5)
            if preference == .cumulative {
                #expect(second["cpu.time"]?.sum?.points.first?.double == 3.0)
            } else {
                #expect(second["cpu.time"]?.sum?.points.first?.double == 1.5)
                #expect(second["threads"]?.sum?.temporality == .cumulative)
            }
        }
    }

    @Test("the same instrument requested twice is one instrument")
    func instrumentIdentity() async throws {
        let harness = MetricsHarness()
        harness.meter.counter(name: "jobs", of: Int64.self).add(1)
        harness.meter.counter(name: "JOBS", of: Int64.self).add(2)
        let collected = await harness.collect()
        #expect(collected.count == 1)
        #expect(collected["jobs"]?.sum?.points.first?.int == 3)
    }
}

/// A total that grows by a step each time it is read, shared with a callback.
private final class ManagedCounter: Sendable {
    private let value = NIOLockedValueBox(0.0)

    func next(by step: Double) -> Double {
        value.withLockedValue {
            $0 += step
            return $0
        }
    }
}
