import Synchronization
import CoreMetrics
import Metrics
import OTelSDK
import Testing

@Suite("NaN and infinite measurements", .timeLimit(.minutes(1)))
struct NonFiniteMeasurementTests {
    private static let nonFinite: [Double] = [.nan, .infinity, -.infinity]

    @Test("the SDK's instruments drop and count them; the series keeps its finite values")
    func sdkInstruments() async throws {
        let harness = MetricsHarness()
        let counter = harness.meter.counter(name: "bytes", of: Double.self)
        let upDown = harness.meter.upDownCounter(name: "queue", of: Double.self)
        let histogram = harness.meter.histogram(name: "latency", of: Double.self)
        let boundUpDown = upDown.bind([Attribute("bound", .bool(true))])
        let before = MeterProvider.droppedNonFiniteMeasurements
        for value in Self.nonFinite + [1.5] {
            counter.add(value)
            upDown.add(value)
            boundUpDown.add(value)
            histogram.record(value)
        }
        #expect(MeterProvider.droppedNonFiniteMeasurements - before >= 12)

        let collected = await harness.collect()
        #expect(collected["bytes"]?.sum?.points.map(\.double) == [1.5])
        #expect(Set(try #require(collected["queue"]?.sum?.points).map(\.double)) == [1.5])
        let latency = try #require(collected["latency"]?.histogram?.points.first)
        #expect(latency.count == 1 && latency.sum == 1.5 && latency.min == 1.5 && latency.max == 1.5)
    }

    @Test("swift-metrics counters, recorders, timers and meters' increments drop and count them")
    func bridgedHandlers() async throws {
        let harness = MetricsHarness()
        let factory = OTelMetricsFactory(meter: harness.meter)
        let counter = FloatingPointCounter(label: "bytes", factory: factory)
        let recorder = Recorder(label: "payload", aggregate: true, factory: factory)
        let meter = Meter(label: "load", factory: factory)
        meter.set(2.0)
        let before = MeterProvider.droppedNonFiniteMeasurements
        for value in Self.nonFinite {
            counter.increment(by: value)
            recorder.record(value)
            meter.increment(by: value)
            meter.decrement(by: value)
        }
        #expect(MeterProvider.droppedNonFiniteMeasurements - before >= 12)
        counter.increment(by: 1)
        recorder.record(3)
        meter.increment(by: 1)

        let collected = await harness.collect()
        #expect(collected["bytes"]?.sum?.points.first?.double == 1)
        #expect(collected["payload"]?.histogram?.points.first?.sum == 3)
        #expect(collected["load"]?.gauge?.first?.double == 3)
    }

    @Test("an observable counter's NaN or infinite observation is dropped; the next finite one counts from the last")
    func observable() async throws {
        let harness = MetricsHarness()
        let observations = [10.0, .nan, .infinity, 14.0]
        let round = Mutex(0)
        harness.meter.observableCounter(name: "total", of: Double.self) { result in
            let index = round.withLock { value in
                defer { value += 1 }
                return value
            }
            result.observe(observations[min(index, observations.count - 1)])
        }
        var totals: [Double?] = []
        for _ in observations {
            totals.append(await harness.collect()["total"]?.sum?.points.first?.double)
        }
        #expect(totals == [10, 10, 10, 14])
    }
}
