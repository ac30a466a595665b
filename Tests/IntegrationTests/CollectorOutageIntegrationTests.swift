import OTelSDK
import OTLPHTTP
import OTLPReceiver
import Testing

/// The circuit breaker over real HTTP: a port nothing listens on, and a receiver that accepts requests and
/// never answers. After the first failure, flushes return at once with `collectorUnavailable` and keep every
/// item; once the collector is back and the back-off is over, everything arrives.
@Suite("Collector outage: the circuit breaker over HTTP", .timeLimit(.minutes(2)))
struct CollectorOutageIntegrationTests {
    /// A back-off short enough for a test, without jitter so that its end is known.
    static let backoff = Duration.milliseconds(400)
    static let policy = OTLPCircuitBreakerPolicy(initialBackoff: backoff, jitter: 0, probeTimeout: .milliseconds(500))

    /// A port on which nothing listens (a receiver's, stopped).
    private func freePort() async throws -> Int {
        let receiver = try await OTLPReceiver.start()
        let port = receiver.port
        try await receiver.stop()
        return port
    }

    @Test("refused: the flushes after the first return in milliseconds, collector unavailable, nothing dropped; all arrives after recovery")
    func refused() async throws {
        let port = try await freePort()
        let pipeline = ExportPipeline(endpoint: "http://127.0.0.1:\(port)", circuitBreaker: Self.policy)
        pipeline.makeSpans(10, prefix: "first")
        let first = await pipeline.flush(within: .seconds(3))
        #expect(first.isCollectorUnavailable, "\(first.outcome)")
        #expect(first.unavailablePeriods == 1)

        for round in 0..<3 {
            pipeline.makeSpans(10, prefix: "down-\(round)")
            let start = ContinuousClock.now
            let down = await pipeline.flush(within: .seconds(3))
            let took = ContinuousClock.now - start
            #expect(down.isCollectorUnavailable, "\(down.outcome)")
            #expect(took < .milliseconds(300), "round \(round) took \(took) of a 3 s deadline")
            #expect(down.dropped == 0 && down.pending == 20 + 10 * round && down.unavailablePeriods == 0)
        }

        let receiver = try await OTLPReceiver.start(configuration: .init(port: port))
        try await Task.sleep(for: Self.backoff)  // the back-off under test, then the next flush probes
        let up = await pipeline.flush(within: .seconds(3))
        #expect(up.outcome == .ok && up.pending == 0 && up.dropped == 0)
        #expect(receiver.summary.traces.distinctItems == 40)
        await pipeline.shutdown()
        try await receiver.stop()
    }

    @Test("hung: after one unanswered request, flushes return at once, collector unavailable; all arrives once it answers again")
    func hung() async throws {
        let receiver = try await OTLPReceiver.start(configuration: .init(faults: ReceiverFaults(stall: .init(every: 1, duration: .seconds(3600)))))
        let pipeline = ExportPipeline(endpoint: receiver.endpoint, circuitBreaker: Self.policy)
        pipeline.makeSpans(10, prefix: "first")
        let first = await pipeline.flush(within: .seconds(1))
        #expect(first.outcome == .timedOut || first.isCollectorUnavailable, "\(first.outcome)")

        for round in 0..<3 {
            pipeline.makeSpans(10, prefix: "down-\(round)")
            let start = ContinuousClock.now
            let down = await pipeline.flush(within: .seconds(3))
            let took = ContinuousClock.now - start
            #expect(down.isCollectorUnavailable, "\(down.outcome)")
            #expect(took < .milliseconds(300), "round \(round) took \(took) of a 3 s deadline")
            #expect(down.dropped == 0 && down.pending == 20 + 10 * round)
        }

        receiver.setFaults(.none)
        try await Task.sleep(for: Self.backoff)
        let up = await pipeline.flush(within: .seconds(3))
        #expect(up.outcome == .ok && up.pending == 0 && up.dropped == 0)
        #expect(receiver.summary.traces.distinctItems == 40)
        await pipeline.shutdown()
        try await receiver.stop()
    }

    @Test("shutdown while the breaker is open: the final flush probes at once, and what was kept arrives")
    func shutdownProbes() async throws {
        let port = try await freePort()
        let pipeline = ExportPipeline(endpoint: "http://127.0.0.1:\(port)", circuitBreaker: OTLPCircuitBreakerPolicy(initialBackoff: .seconds(30), jitter: 0))
        pipeline.makeSpans(10)
        #expect(await pipeline.flush(within: .seconds(3)).isCollectorUnavailable)
        let receiver = try await OTLPReceiver.start(configuration: .init(port: port))
        #expect(await pipeline.flush(within: .seconds(3)).isCollectorUnavailable)  // 30 s of back-off ahead
        let final = await pipeline.provider.shutdown(deadline: .now + .seconds(3))
        #expect(final.outcome == .ok && final.pending == 0)
        #expect(receiver.summary.traces.distinctItems == 10)
        try await receiver.stop()
    }

    @Test("one breaker per collector: once traces found it gone, a logs flush to the same collector returns at once without trying")
    func sharedByTheSignals() async throws {
        let port = try await freePort()
        let endpoint = "http://127.0.0.1:\(port)"
        let logs = LogExportPipeline(endpoint: endpoint, circuitBreaker: Self.policy)
        let traces = ExportPipeline(endpoint: endpoint, circuitBreaker: Self.policy)
        traces.makeSpans(5)
        #expect(await traces.flush(within: .seconds(3)).unavailablePeriods == 1)

        logs.log(5)
        let start = ContinuousClock.now
        let refused = await logs.flush(within: .seconds(3))
        #expect(refused.isCollectorUnavailable, "\(refused.outcome)")
        #expect(refused.unavailablePeriods == 0)  // traces began the period; it is counted once
        #expect(ContinuousClock.now - start < .milliseconds(300))
        await traces.shutdown()
        await logs.shutdown()
    }
}
