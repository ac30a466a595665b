import OTelSDK
import OTLPHTTP
import OTLPReceiver
import Testing

/// The metrics pipeline (periodic reader that never ticks by itself, OTLP/HTTP exporter) against a
/// real receiver: delivery, and the receiver down, stalling and answering 503.
@Suite("Metrics export over HTTP against otlp-receiver", .timeLimit(.minutes(5)))
struct MetricsIntegrationTests {
    /// A provider whose reader only exports on flush, with a counter of `series` series and a histogram.
    private struct Pipeline {
        let provider: MeterProvider
        let counter: OTelCounter<Int64>
        let histogram: OTelHistogram<Double>

        init(endpoint: String, preference: TemporalityPreference, compression: OTLPCompression = .none) {
            let exporter = OTLPMetricExporter(
                configuration: ExportPipeline.exporterConfiguration(.metrics, endpoint: endpoint, compression: compression),
                diagnostics: DiagnosticLogger.disabled)
            let reader = PeriodicExportingMetricReader(exporter: exporter, interval: .seconds(3600), temporalityPreference: preference)
            provider = MeterProvider(resource: Resource(attributes: [Attribute("service.name", .string("integration"))]), readers: [reader])
            let meter = provider.meter(name: "integration-tests")
            counter = meter.counter(name: "jobs", of: Int64.self)
            histogram = meter.histogram(name: "latency", unit: "ms", of: Double.self)
        }

        /// Records into `series` attribute sets of each instrument: `2 * series` data points.
        func record(series: Int) {
            for index in 0..<series {
                let attributes = [Attribute("worker", .int(Int64(index)))]
                counter.add(1, attributes: attributes)
                histogram.record(Double(index), attributes: attributes)
            }
        }

        func flush(within duration: Duration) async -> FlushResult {
            await provider.forceFlush(deadline: .now + duration)
        }
    }

    @Test("data points arrive at /v1/metrics, with and without gzip", arguments: [OTLPCompression.none, .gzip])
    func delivery(compression: OTLPCompression) async throws {
        let receiver = try await OTLPReceiver.start()
        let pipeline = Pipeline(endpoint: receiver.endpoint, preference: .cumulative, compression: compression)
        pipeline.record(series: 10)
        let result = await pipeline.flush(within: .seconds(10))
        #expect(result == FlushResult(outcome: .ok, exported: 20))
        #expect(receiver.summary.metrics.items == 20)
        #expect(receiver.summary.metrics.metrics == 2)
        #expect(receiver.summary.metrics.gzipRequests == (compression == .gzip ? 1 : 0))
        _ = await pipeline.provider.shutdown(deadline: .now + .seconds(2))
        try await receiver.stop()
    }

    @Test("receiver down: delta points are kept and delivered once the receiver is back")
    func receiverDown() async throws {
        let first = try await OTLPReceiver.start()
        let port = first.port
        try await first.stop()
        let pipeline = Pipeline(endpoint: "http://127.0.0.1:\(port)", preference: .delta)
        pipeline.record(series: 5)
        let down = await pipeline.flush(within: .milliseconds(500))
        #expect(down.outcome != .ok)
        #expect(down.pending == 10 && down.dropped == 0)
        let receiver = try await OTLPReceiver.start(configuration: .init(port: port))
        pipeline.record(series: 5)
        let up = await pipeline.flush(within: .seconds(10))
        #expect(up.outcome == .ok && up.exported == 20 && up.pending == 0)
        #expect(receiver.summary.metrics.items == 20)  // the kept collection and the new one
        _ = await pipeline.provider.shutdown(deadline: .now + .seconds(2))
        try await receiver.stop()
    }

    @Test("stall past the deadline: the flush returns at the deadline; the next flush delivers")
    func stall() async throws {
        let receiver = try await OTLPReceiver.start(configuration: .init(faults: ReceiverFaults(stall: .init(every: 1, duration: .seconds(20)))))
        let pipeline = Pipeline(endpoint: receiver.endpoint, preference: .delta)
        pipeline.record(series: 3)
        let start = ContinuousClock.now
        let stalled = await pipeline.flush(within: .milliseconds(500))
        #expect(stalled.outcome == .timedOut)
        #expect(stalled.pending == 6)
        #expect(ContinuousClock.now - start < .seconds(10))  // far below the 20 s stall, loose for a loaded machine
        try await receiver.stop()

        let healthy = try await OTLPReceiver.start()
        let next = Pipeline(endpoint: healthy.endpoint, preference: .cumulative)
        next.record(series: 3)
        #expect(await next.flush(within: .seconds(10)).outcome == .ok)
        #expect(healthy.summary.metrics.items == 6)
        _ = await pipeline.provider.shutdown(deadline: .now + .milliseconds(100))
        _ = await next.provider.shutdown(deadline: .now + .seconds(2))
        try await healthy.stop()
    }

    @Test("503 on every second request is retried; every point arrives")
    func serviceUnavailable() async throws {
        let receiver = try await OTLPReceiver.start(configuration: .init(faults: ReceiverFaults(failure: .init(every: 2, status: 503))))
        let pipeline = Pipeline(endpoint: receiver.endpoint, preference: .delta)
        for _ in 0..<3 {
            pipeline.record(series: 4)
            #expect(await pipeline.flush(within: .seconds(10)) == FlushResult(outcome: .ok, exported: 8))
        }
        #expect(receiver.summary.metrics.items == 24)
        #expect(receiver.summary.faults.failed >= 1)
        _ = await pipeline.provider.shutdown(deadline: .now + .seconds(2))
        try await receiver.stop()
    }
}
