import CoreMetrics
import OTelSDK
import OTelTesting
import Testing

@Suite("Periodic exporting metric reader", .timeLimit(.minutes(2)))
struct PeriodicExportingMetricReaderTests {
    @Test("forceFlush collects and exports; the result counts data points")
    func flushExports() async {
        let harness = MetricsHarness()
        harness.meter.counter(name: "a", of: Int64.self).add(1, attributes: [Attribute("k", .string("x"))])
        harness.meter.counter(name: "a", of: Int64.self).add(1, attributes: [Attribute("k", .string("y"))])
        let result = await harness.provider.forceFlush(deadline: .now + .seconds(5))
        #expect(result == FlushResult(outcome: .ok, exported: 2))
        #expect(harness.exporter.exported.count == 1)
    }

    @Test("a delta batch whose export failed transiently is kept and sent first next time")
    func deltaKept() async throws {
        let exporter = InMemoryExporter<MetricData> { attempt, _, _ in
            attempt == 1 ? .retryLater(ExportFailure("503")) : .success
        }
        let harness = MetricsHarness(.delta, exporter: exporter)
        let counter = harness.meter.counter(name: "delta", of: Int64.self)
        counter.add(5)
        let failed = await harness.provider.forceFlush(deadline: .now + .seconds(5))
        #expect(failed.outcome == .failed("503") && failed.pending == 1)
        counter.add(2)
        let retried = await harness.provider.forceFlush(deadline: .now + .seconds(5))
        #expect(retried == FlushResult(outcome: .ok, exported: 2))
        let values = exporter.exported.compactMap { $0.sum?.points.first?.int }
        #expect(values == [5, 2])  // the kept batch first, then the new collection
    }

    @Test("a cumulative batch whose export failed is not kept: the next collection carries its totals")
    func cumulativeNotKept() async throws {
        let exporter = InMemoryExporter<MetricData> { attempt, _, _ in
            attempt == 1 ? .retryLater(ExportFailure("503")) : .success
        }
        let harness = MetricsHarness(.cumulative, exporter: exporter)
        let counter = harness.meter.counter(name: "total", of: Int64.self)
        counter.add(5)
        #expect(await harness.provider.forceFlush(deadline: .now + .seconds(5)).pending == 0)
        counter.add(2)
        _ = await harness.provider.forceFlush(deadline: .now + .seconds(5))
        #expect(exporter.exported.compactMap { $0.sum?.points.first?.int } == [7])
    }

    @Test("a gauge under a delta preference whose export failed transiently is kept: no later collection repeats it")
    func deltaGaugeKept() async throws {
        let exporter = InMemoryExporter<MetricData> { attempt, _, _ in
            attempt == 1 ? .retryLater(ExportFailure("503")) : .success
        }
        let harness = MetricsHarness(.delta, exporter: exporter)
        harness.meter.gauge(name: "temperature", of: Double.self).record(21.5)
        let failed = await harness.provider.forceFlush(deadline: .now + .seconds(5))
        #expect(failed.pending == 1)
        let retried = await harness.provider.forceFlush(deadline: .now + .seconds(5))
        #expect(retried == FlushResult(outcome: .ok, exported: 1))
        #expect(exporter.exported.last?.gauge?.first?.double == 21.5)
    }

    @Test("a destroyed series' final cumulative point whose export failed is kept; live cumulative points are not")
    func destroyedSeriesKept() async throws {
        let exporter = InMemoryExporter<MetricData> { attempt, _, _ in
            attempt == 1 ? .retryLater(ExportFailure("503")) : .success
        }
        let harness = MetricsHarness(.cumulative, exporter: exporter)
        let factory = OTelMetricsFactory(meter: harness.meter)
        let live = Counter(label: "jobs", dimensions: [("queue", "live")], factory: factory)
        let temporary = Counter(label: "jobs", dimensions: [("queue", "temporary")], factory: factory)
        live.increment(by: 1)
        temporary.increment(by: 2)
        temporary.destroy()
        let failed = await harness.provider.forceFlush(deadline: .now + .seconds(5))
        #expect(failed.pending == 1, "only the destroyed series' point is kept")
        live.increment(by: 4)
        let retried = await harness.provider.forceFlush(deadline: .now + .seconds(5))
        #expect(retried == FlushResult(outcome: .ok, exported: 2))
        let points = exporter.exported.flatMap { $0.sum?.points ?? [] }
        #expect(points.map(\.attributes) == [[Attribute("queue", .string("temporary"))], [Attribute("queue", .string("live"))]])
        #expect(points.map(\.int) == [2, 5])
    }

    @Test("a refused batch is dropped and counted")
    func rejected() async {
        let exporter = InMemoryExporter<MetricData> { _, _, _ in .rejected(ExportFailure("400")) }
        let harness = MetricsHarness(.delta, exporter: exporter)
        harness.meter.histogram(name: "h", of: Double.self).record(1)
        let result = await harness.provider.forceFlush(deadline: .now + .seconds(5))
        #expect(result == FlushResult(outcome: .failed("400"), dropped: 1))
        #expect(await harness.provider.forceFlush(deadline: .now + .seconds(5)) == FlushResult(outcome: .ok))
    }

    @Test("one export at a time: a flush behind a stalled export returns at its deadline, and its measurements wait")
    func oneExportAtATime() async throws {
        let gate = Gate()
        let firstExportStarted = Gate()
        let exporter = InMemoryExporter<MetricData> { attempt, _, _ in
            if attempt == 1 {
                firstExportStarted.open()
                await gate.wait()
            }
            return .success
        }
        let harness = MetricsHarness(.delta, exporter: exporter)
        let counter = harness.meter.counter(name: "c", of: Int64.self)
        counter.add(1)
        let stalled = Task { await harness.provider.forceFlush(deadline: .now + .seconds(30)) }
        await firstExportStarted.wait()  // the first collection (1) is in the stalled export
        counter.add(10)
        let start = ContinuousClock.now
        let second = await harness.provider.forceFlush(deadline: .now + .milliseconds(200))
        #expect(second.outcome == .timedOut)
        #expect(ContinuousClock.now - start < .seconds(10))  // the stalled export never ends by itself
        gate.open()
        #expect(await stalled.value.outcome == .ok)
        #expect(await harness.provider.forceFlush(deadline: .now + .seconds(5)).exported == 1)
        #expect(exporter.exported.compactMap { $0.sum?.points.first?.int } == [1, 10])
        #expect(!exporter.overlapped)
    }

    @Test("the timer exports every interval")
    func periodic() async throws {
        let exporter = InMemoryExporter<MetricData>()
        let reader = PeriodicExportingMetricReader(exporter: exporter, interval: .milliseconds(50))
        let provider = MeterProvider(resource: Fixtures.resource, readers: [reader])
        provider.meter().gauge(name: "g", of: Int64.self).record(3)
        await exporter.waitForExported(2)
        #expect(exporter.exported.allSatisfy { $0.gauge?.first?.int == 3 })
        _ = await provider.shutdown(deadline: .now + .seconds(5))
        #expect(exporter.shutdownCalled)
    }

    @Test("OTEL_METRIC_EXPORT_INTERVAL and _TIMEOUT, with defaults and malformed values")
    func environment() {
        let warnings = LogCapture()
        let exporter = InMemoryExporter<MetricData>()
        let defaults = PeriodicExportingMetricReader(exporter: exporter, environment: OTelEnvironment([:], diagnostics: warnings.logger))
        #expect(defaults.interval == .milliseconds(60000) && defaults.timeout == .milliseconds(30000))
        #expect(defaults.temporalityPreference == .cumulative)
        let set = PeriodicExportingMetricReader(exporter: exporter, environment: OTelEnvironment([
            "OTEL_METRIC_EXPORT_INTERVAL": "1000", "OTEL_METRIC_EXPORT_TIMEOUT": "0",
            "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "delta",
        ], diagnostics: warnings.logger))
        #expect(set.interval == .milliseconds(1000) && set.timeout == nil && set.temporalityPreference == .delta)
        let bad = PeriodicExportingMetricReader(exporter: exporter, environment: OTelEnvironment([
            "OTEL_METRIC_EXPORT_INTERVAL": "-5", "OTEL_METRIC_EXPORT_TIMEOUT": "soon",
        ], diagnostics: warnings.logger))
        #expect(bad.interval == .milliseconds(60000) && bad.timeout == .milliseconds(30000))
        #expect(warnings.messages.count == 2)
    }
}
