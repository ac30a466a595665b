import OTelSDK
import OTelTesting
import OTLPHTTP
import OTLPProto
import OTLPReceiver
import Testing

/// The trace pipeline (and, where marked, the log pipeline) against a real NIO OTLP/HTTP receiver,
/// with the receiver misbehaving in each way a collector can.
@Suite("Export over HTTP against otlp-receiver", .timeLimit(.minutes(5)))
struct ExporterIntegrationTests {
    private func withReceiver(_ faults: ReceiverFaults = .none, capture: Int = 0, _ body: (OTLPReceiver) async throws -> Void) async throws {
        let receiver = try await OTLPReceiver.start(configuration: .init(captureBodies: capture, faults: faults))
        do {
            try await body(receiver)
        } catch {
            try await receiver.stop()
            throw error
        }
        try await receiver.stop()
    }

    @Test("spans arrive exactly once, with and without gzip, with the configured headers", arguments: [OTLPCompression.none, .gzip])
    func delivery(compression: OTLPCompression) async throws {
        try await withReceiver(capture: 10) { receiver in
            let pipeline = ExportPipeline(endpoint: receiver.endpoint, compression: compression, headers: [("x-api-key", "secret")])
            pipeline.makeSpans(1200)
            let result = await pipeline.flush(within: .seconds(10))
            // The two full batches may leave in the background while the spans are made (the export worker
            // has a thread of its own); the last, partial one leaves only with the flush (no schedule delay).
            #expect(result.outcome == .ok && result.pending == 0 && result.dropped == 0)
            #expect((176...1200).contains(result.exported))
            #expect(receiver.summary.traces.items == 1200)
            #expect(receiver.summary.traces.requests == 3)  // 512 + 512 + 176
            let request = try #require(receiver.capturedRequests(for: .traces).first)
            #expect(request.gzip == (compression == .gzip))
            #expect(request.header("x-api-key") == "secret")
            #expect(request.header("content-type") == "application/x-protobuf")
            #expect(request.header("user-agent")?.hasPrefix("OTel-OTLP-Exporter-Swift/") == true)
            await pipeline.shutdown()
        }
    }

    @Test("receiver down: the flush fails, keeps every item, and delivers them once the receiver is back", arguments: PipelineKind.allCases)
    func receiverDown(kind: PipelineKind) async throws {
        let first = try await OTLPReceiver.start()
        let port = first.port
        try await first.stop()
        let pipeline = kind.make(endpoint: "http://127.0.0.1:\(port)")
        pipeline.produce(50)
        let down = await pipeline.flush(within: .milliseconds(500))
        #expect(down.outcome != .ok)
        #expect(down.pending == 50)
        #expect(down.dropped == 0)
        let receiver = try await OTLPReceiver.start(configuration: .init(port: port))
        let up = await pipeline.flush(within: .seconds(10))
        #expect(up.outcome == .ok)
        #expect(up.exported == 50)
        #expect(receiver.summary[kind.signal].items == 50)
        await pipeline.shutdown()
        try await receiver.stop()
    }

    @Test("stall past the deadline: the flush times out at the deadline; the items arrive with the next flush, none lost", arguments: PipelineKind.allCases)
    func stallPastDeadline(kind: PipelineKind) async throws {
        try await withReceiver(ReceiverFaults(stall: .init(every: 1, duration: .seconds(3)))) { receiver in
            let pipeline = kind.make(endpoint: receiver.endpoint)
            pipeline.produce(20)
            let clock = ContinuousClock()
            let start = clock.now
            let stalled = await pipeline.flush(within: .milliseconds(500))
            let elapsed = clock.now - start
            #expect(stalled.outcome == .timedOut)
            #expect(stalled.pending == 20)
            #expect(elapsed < .seconds(10))
            receiver.setFaults(.none)
            let next = await pipeline.flush(within: .seconds(10))
            #expect(next.outcome == .ok)
            #expect(next.pending == 0)
            #expect(receiver.summary[kind.signal].items >= 20)
            await pipeline.shutdown()
        }
    }

    @Test("503 with Retry-After is retried after the delay the server asked for")
    func serviceUnavailableRetryAfter() async throws {
        try await withReceiver(ReceiverFaults(failure: .init(every: 2, status: 503, retryAfterSeconds: 1))) { receiver in
            // Requests 1 (ok), 2 (503, retry after 1 s), 3 (ok): 600 spans in two batches.
            let pipeline = ExportPipeline(endpoint: receiver.endpoint)
            pipeline.makeSpans(600)
            let clock = ContinuousClock()
            let start = clock.now
            let result = await pipeline.flush(within: .seconds(10))
            #expect(result.outcome == .ok)
            #expect(clock.now - start >= .seconds(1))
            #expect(receiver.summary.traces.items == 600)
            #expect(receiver.summary.faults.failed == 1)
            await pipeline.shutdown()
        }
    }

    @Test("Retry-After: 0 does not make the exporter re-send as fast as round trips allow: the back-off still applies")
    func retryAfterZeroKeepsTheBackOff() async throws {
        try await withReceiver(ReceiverFaults(failure: .init(every: 1, status: 503, retryAfterSeconds: 0))) { receiver in
            let pipeline = ExportPipeline(endpoint: receiver.endpoint)
            pipeline.makeSpans(10)
            let result = await pipeline.flush(within: .milliseconds(500))
            #expect(result.outcome != .ok)
            // The pipeline's back-off, 20 ms doubling to 200 ms (±20 %), fits about 5 attempts in 500 ms; without it,
            // hundreds.
            #expect(receiver.summary.faults.failed <= 8)
            await pipeline.shutdown()
        }
    }

    @Test("429 whose Retry-After lies past the deadline is not waited for: the flush returns early and keeps the spans")
    func tooManyRequestsBeyondDeadline() async throws {
        try await withReceiver(ReceiverFaults(failure: .init(every: 1, status: 429, retryAfterSeconds: 120))) { receiver in
            let pipeline = ExportPipeline(endpoint: receiver.endpoint)
            pipeline.makeSpans(10)
            let clock = ContinuousClock()
            let start = clock.now
            let result = await pipeline.flush(within: .seconds(30))
            #expect(clock.now - start < .seconds(10))
            #expect(result.outcome != .ok)
            #expect(result.pending == 10)
            receiver.setFaults(.none)
            #expect(await pipeline.flush(within: .seconds(5)).outcome == .ok)
            #expect(receiver.summary.traces.items == 10)
            await pipeline.shutdown()
        }
    }

    @Test("400 is not retried: the batch is dropped, counted, and the server's google.rpc.Status message is reported")
    func badRequest() async throws {
        try await withReceiver(ReceiverFaults(failure: .init(every: 1, status: 400, message: "invalid span id length"))) { receiver in
            let pipeline = ExportPipeline(endpoint: receiver.endpoint)
            pipeline.makeSpans(10)
            let result = await pipeline.flush(within: .seconds(5))
            guard case .failed(let reason) = result.outcome else {
                Issue.record("expected a failure, got \(result.outcome)")
                return
            }
            #expect(reason.contains("400"))
            #expect(reason.contains("invalid span id length"))
            #expect(result.dropped == 10)
            #expect(result.pending == 0)
            #expect(receiver.summary.traces.requests == 1)
            await pipeline.shutdown()
        }
    }

    @Test("a dropped connection is retried")
    func droppedConnection() async throws {
        try await withReceiver(ReceiverFaults(drop: .init(every: 2))) { receiver in
            let pipeline = ExportPipeline(endpoint: receiver.endpoint)
            pipeline.makeSpans(1500)
            let result = await pipeline.flush(within: .seconds(10))
            #expect(result.outcome == .ok)
            #expect(receiver.summary.traces.items == 1500)
            #expect(receiver.summary.faults.dropped >= 1)
            await pipeline.shutdown()
        }
    }

    @Test("a 200 with a garbage body counts as delivered and is logged", arguments: ReceiverFaults.GarbageKind.allCases)
    func garbageResponse(kind: ReceiverFaults.GarbageKind) async throws {
        try await withReceiver(ReceiverFaults(garbage: .init(every: 1, kind: kind))) { receiver in
            let lines = LogCapture()
            let pipeline = ExportPipeline(endpoint: receiver.endpoint, diagnostics: lines.logger)
            pipeline.makeSpans(5)
            let result = await pipeline.flush(within: .seconds(5))
            #expect(result.outcome == .ok)
            #expect(receiver.summary.traces.requests == 1)
            #expect(lines.all.map(\.rendered).contains { $0.contains("not an ExportTraceServiceResponse") })
            await pipeline.shutdown()
        }
    }

    @Test("partial success is logged and not retried")
    func partialSuccess() async throws {
        try await withReceiver(ReceiverFaults(partialSuccess: .init(every: 1, rejected: 2, message: "two spans too old"))) { receiver in
            let lines = LogCapture()
            let pipeline = ExportPipeline(endpoint: receiver.endpoint, diagnostics: lines.logger)
            pipeline.makeSpans(5)
            let result = await pipeline.flush(within: .seconds(5))
            #expect(result.outcome == .ok)
            #expect(receiver.summary.traces.requests == 1)
            #expect(lines.all.map(\.rendered).contains { $0.contains("partially") && $0.contains("rejected=2") && $0.contains("two spans too old") })
            await pipeline.shutdown()
        }
    }

    // MARK: Log records (swift-log → bridge → batch processor → OTLP/HTTP)

    @Test("log records arrive at /v1/logs, with and without gzip", arguments: [OTLPCompression.none, .gzip])
    func logDelivery(compression: OTLPCompression) async throws {
        try await withReceiver(capture: 1) { receiver in
            let pipeline = LogExportPipeline(endpoint: receiver.endpoint, compression: compression)
            pipeline.log(1200)
            let result = await pipeline.flush(within: .seconds(10))
            // Full batches may leave in the background before the flush (see the span test above).
            #expect(result.outcome == .ok && result.pending == 0 && result.dropped == 0)
            #expect(receiver.summary.logs.items == 1200)
            #expect(receiver.summary.logs.requests == 3)  // 512 + 512 + 176
            let request = try #require(receiver.capturedRequests(for: .logs).first)
            #expect(request.gzip == (compression == .gzip))
            await pipeline.shutdown()
        }
    }

    @Test("503 on every second request is retried; every record arrives")
    func logServiceUnavailable() async throws {
        try await withReceiver(ReceiverFaults(failure: .init(every: 2, status: 503))) { receiver in
            let pipeline = LogExportPipeline(endpoint: receiver.endpoint)
            pipeline.log(600)
            let result = await pipeline.flush(within: .seconds(10))
            #expect(result.outcome == .ok)
            #expect(result.pending == 0)
            #expect(receiver.summary.logs.items == 600)
            #expect(receiver.summary.faults.failed >= 1)
            await pipeline.shutdown()
        }
    }
}
