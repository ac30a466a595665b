import CoreMetrics
import Metrics
import OTelSDK
import Testing

@Suite("swift-metrics backend", .timeLimit(.minutes(2)))
struct MetricsBridgeTests {
    @Test("each swift-metrics type arrives as the right instrument, dimensions as attributes")
    func mapping() async throws {
        let harness = MetricsHarness()
        let factory = OTelMetricsFactory(meter: harness.meter)
        let dimensions = [("method", "GET"), ("status", "200")]
        Counter(label: "requests", dimensions: dimensions, factory: factory).increment(by: 3)
        FloatingPointCounter(label: "bytes", dimensions: dimensions, factory: factory).increment(by: 1.5)
        Meter(label: "connections", factory: factory).set(Int64(12))
        Recorder(label: "payload", aggregate: true, factory: factory).record(300)
        Recorder(label: "load", aggregate: false, factory: factory).record(0.75)
        Timer(label: "duration", factory: factory).recordMilliseconds(20)

        let collected = await harness.collect()
        let attributes = [Attribute("method", .string("GET")), Attribute("status", .string("200"))]
        let requests = try #require(collected["requests"]?.sum)
        #expect(requests.isMonotonic && requests.points.first?.int == 3 && requests.points.first?.attributes == attributes)
        #expect(collected["bytes"]?.sum?.points.first?.double == 1.5)
        #expect(collected["connections"]?.gauge?.first?.double == 12)
        let payload = try #require(collected["payload"]?.histogram?.points.first)
        #expect(payload.count == 1 && payload.sum == 300 && payload.bounds.count == 15)
        #expect(collected["load"]?.gauge?.first?.double == 0.75)
        let duration = try #require(collected["duration"])
        #expect(duration.unit == "s")
        #expect(duration.histogram?.points.first?.sum == 0.02)
        #expect(duration.histogram?.points.first?.bounds == OTelMetricsFactory.timerBounds)
    }

    @Test("the same label and dimensions share a series; a kept handle and a new one add up")
    func sharedSeries() async throws {
        let harness = MetricsHarness()
        let factory = OTelMetricsFactory(meter: harness.meter)
        let kept = Counter(label: "jobs", dimensions: [("queue", "a")], factory: factory)
        kept.increment()
        for _ in 0..<4 {
            Counter(label: "jobs", dimensions: [("queue", "a")], factory: factory).increment()
        }
        #expect(await harness.collect()["jobs"]?.sum?.points.map(\.int) == [5])
    }

    @Test("metrics are told apart by every byte of their label and dimensions, and equal ones built at run time meet")
    func keyIdentity() async throws {
        let harness = MetricsHarness()
        let factory = OTelMetricsFactory(meter: harness.meter)
        Counter(label: "jobs", dimensions: [("ab", "c")], factory: factory).increment()
        Counter(label: "jobs", dimensions: [("a", "bc")], factory: factory).increment()
        Counter(label: "jobs", dimensions: [("a", "b"), ("c", "")], factory: factory).increment()
        // Long values (not stored inline), equal but built separately: the same series.
        let path = { (segment: Int) in (0..<8).map { _ in "/items/\(segment)" }.joined() }
        Counter(label: "jobs", dimensions: [("path", path(7))], factory: factory).increment(by: 2)
        Counter(label: "jobs", dimensions: [("path", path(7))], factory: factory).increment(by: 3)

        let points = try #require(await harness.collect()["jobs"]?.sum?.points)
        #expect(points.count == 4)
        #expect(points.first { $0.attributes == [Attribute("path", .string(path(7)))] }?.int == 5)
        #expect(points.filter { $0.int == 1 }.count == 3)
    }

    @Test("destroy: what was recorded is still exported once, then the series is gone; reset restarts at zero")
    func destroyAndReset() async throws {
        let harness = MetricsHarness()
        let factory = OTelMetricsFactory(meter: harness.meter)
        let counter = Counter(label: "temporary", factory: factory)
        counter.increment(by: 2)
        counter.destroy()
        #expect(await harness.collect()["temporary"]?.sum?.points.first?.int == 2)
        #expect(await harness.collect()["temporary"] == nil)
        let again = Counter(label: "temporary", factory: factory)
        again.increment()
        counter.reset()  // Through the destroyed handle: leaves the new series alone.
        #expect(await harness.collect()["temporary"]?.sum?.points.map(\.int) == [1])

        let resettable = Counter(label: "resettable", factory: factory)
        resettable.increment(by: 5)
        let before = try #require(await harness.collect()["resettable"]?.sum?.points.first)
        resettable.reset()
        resettable.increment(by: 1)
        let after = try #require(await harness.collect()["resettable"]?.sum?.points.first)
        #expect(before.int == 5 && after.int == 1 && after.startTimeNanos > before.startTimeNanos)
    }

    @Test("meters increment and decrement the last value")
    func meterArithmetic() async {
        let harness = MetricsHarness()
        let factory = OTelMetricsFactory(meter: harness.meter)
        let meter = Meter(label: "inflight", factory: factory)
        meter.set(10.0)
        meter.increment(by: 2)
        meter.decrement(by: 5)
        #expect(await harness.collect()["inflight"]?.gauge?.first?.double == 7)
    }
}
