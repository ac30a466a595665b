import CoreMetrics
import Metrics
import OTelTesting
import Testing

@testable import OTelSDK

/// The swift-metrics bridge keeps bounded state whatever labels and dimensions the application makes up.
@Suite("Bounded memory of the metrics bridge", .timeLimit(.minutes(1)))
struct BoundedBridgeMemoryTests {
    @Test("the handler table keeps at most its capacity; keys beyond it still record into their series")
    func handlerTableCapacity() async throws {
        let harness = MetricsHarness()
        let storage = harness.meter.counter(name: "requests", of: Int64.self).storage
        let table = HandlerTable(capacity: 4)
        for round in 0..<2 {
            for id in 0..<10 {
                let handler = table.handler(.counter, "requests", [("id", "\(id)")]) { key in
                    BridgedSum(storage: storage, attributes: AttributeSet([Attribute("id", .string("\(id)"))]), key: key)
                }
                (handler as! BridgedSum).increment(by: Int64(round + 1))
            }
        }
        #expect(table.count == 4)
        let points = try #require(await harness.collect()["requests"]?.sum?.points)
        #expect(points.count == 10)
        #expect(points.allSatisfy { $0.int == 3 }, "both rounds reach each key's one series, kept in the table or not")
    }

    @Test("a meter keeps at most its instrument limit; instruments beyond it record but are not exported, and are counted")
    func instrumentLimit() async throws {
        let exporter = InMemoryExporter<MetricData>()
        let reader = PeriodicExportingMetricReader(exporter: exporter, interval: .seconds(3600))
        let provider = MeterProvider(resource: Fixtures.resource, readers: [reader], instrumentLimit: 3)
        let meter = provider.meter(name: "tests")
        let factory = OTelMetricsFactory(meter: meter)
        for label in ["a", "b", "c", "request-4711", "request-4712"] {
            Counter(label: label, factory: factory).increment()
        }
        meter.counter(name: "a", of: Int64.self).add(1)  // an existing instrument is still found at the limit
        _ = await provider.forceFlush(deadline: .now + .seconds(5))
        #expect(Set(exporter.exported.map(\.name)) == ["a", "b", "c"])
        #expect(exporter.exported.first { $0.name == "a" }?.sum?.points.first?.int == 2)
        #expect(meter.droppedInstruments == 2)
    }

    @Test("with no reader, a destroyed series is released at once")
    func destroyedWithoutReader() {
        let provider = MeterProvider(resource: Fixtures.resource, readers: [])
        let factory = OTelMetricsFactory(meter: provider.meter(name: "tests"))
        for id in 0..<100 {
            Counter(label: "jobs", dimensions: [("id", "\(id)")], factory: factory).destroy()
        }
        let storage = provider.meter(name: "tests").counter(name: "jobs", of: Int64.self).storage
        #expect(storage.seriesCount.live == 0)
        #expect(storage.seriesCount.destroyed == 0)
    }
}
