import OTLPProto
import OTLPReceiver
import Testing

@Suite("OTLPReceiver distinct and duplicate spans", .timeLimit(.minutes(2)))
struct ReceiverDistinctSpanTests {
    /// 2 resources × 3 spans.
    static let batch0 = OTLPPayloads.traces(resources: 2, spansPerResource: 3)
    /// 1 resource × 4 spans, none of them in `batch0`.
    static let batch1 = OTLPPayloads.traces(spansPerResource: 4, batch: 1)

    @Test("the same body twice: every span is distinct once and duplicate once")
    func sameBodyTwice() async throws {
        try await withReceiver { receiver in
            try await withConnection(to: receiver) { connection in
                try await export(Self.batch0, on: connection)
                #expect(receiver.summary.traces.distinctItems == 6)
                #expect(receiver.summary.traces.duplicateItems == 0)
                try await export(Self.batch0, on: connection)
                let traces = receiver.summary.traces
                #expect(traces.items == 12)
                #expect(traces.distinctItems == 6)
                #expect(traces.duplicateItems == 6)
            }
        }
    }

    @Test("different bodies add up, plain or gzip, and waiters see the distinct count")
    func differentBodies() async throws {
        try await withReceiver { receiver in
            try await withConnection(to: receiver) { connection in
                let waiter = Task { await receiver.wait(timeout: .seconds(10)) { $0.traces.distinctItems >= 10 } }
                try await export(Self.batch0, on: connection)
                let compressed = try Gzip.compress(Self.batch1)
                try await export(compressed, on: connection, gzip: true)
                #expect(await waiter.value)
                let traces = receiver.summary.traces
                #expect(traces.items == 10)
                #expect(traces.distinctItems == 10)
                #expect(traces.duplicateItems == 0)
            }
        }
    }

    @Test("a span repeated within one request is a duplicate")
    func duplicateWithinRequest() async throws {
        try await withReceiver { receiver in
            try await withConnection(to: receiver) { connection in
                let twice = Self.batch1 + Self.batch1  // concatenated messages merge: 2 resources, 8 spans
                try await export(twice, on: connection)
                let traces = receiver.summary.traces
                #expect(traces.items == 8)
                #expect(traces.distinctItems == 4)
                #expect(traces.duplicateItems == 4)
            }
        }
    }

    @Test("failed, dropped and malformed requests count no span; a partial success rejects the last spans")
    func faults() async throws {
        var configuration = OTLPReceiver.Configuration()
        configuration.faults = ReceiverFaults(failure: .init(every: 1, status: 503))
        try await withReceiver(configuration) { receiver in
            try await withConnection(to: receiver) { connection in
                try await export(Self.batch0, on: connection, expecting: 503)
                try await export(OTLPPayloads.malformed, on: connection, expecting: 503)
                receiver.setFaults(.none)
                try await export(OTLPPayloads.malformed, on: connection, expecting: 400)
                #expect(receiver.summary.traces.distinctItems == 0)
                #expect(receiver.summary.traces.duplicateItems == 0)

                // Partial success: 2 of batch0's 6 spans are rejected, so 4 are counted, and resending the whole body
                // counts the 2 others as new.
                receiver.setFaults(ReceiverFaults(partialSuccess: .init(every: 1, rejected: 2)))
                try await export(Self.batch0, on: connection)
                #expect(receiver.summary.traces.distinctItems == 4)
                receiver.setFaults(.none)
                try await export(Self.batch0, on: connection)
                let traces = receiver.summary.traces
                #expect(traces.items == 10)
                #expect(traces.distinctItems == 6)
                #expect(traces.duplicateItems == 4)
            }
            receiver.setFaults(ReceiverFaults(drop: .init(every: 1)))
            let connection = try await TestHTTPConnection.connect(port: receiver.port)
            await #expect(throws: ConnectionClosedError.self) {
                try await connection.export(.traces, Self.batch1).get()
            }
            await connection.close()
            #expect(receiver.summary.traces.failedRequests == 3)
            #expect(receiver.summary.traces.distinctItems == 6)
        }
    }

    @Test("a garbage answer counts the spans")
    func garbage() async throws {
        var configuration = OTLPReceiver.Configuration()
        configuration.faults = ReceiverFaults(garbage: .init(every: 1, kind: .html))
        try await withReceiver(configuration) { receiver in
            try await withConnection(to: receiver) { connection in
                try await export(Self.batch1, on: connection)
                try await export(Self.batch1, on: connection)
                #expect(receiver.summary.traces.distinctItems == 4)
                #expect(receiver.summary.traces.duplicateItems == 4)
            }
        }
    }

    @Test("reset forgets the spans seen")
    func reset() async throws {
        try await withReceiver { receiver in
            try await withConnection(to: receiver) { connection in
                try await export(Self.batch0, on: connection)
                receiver.reset()
                #expect(receiver.summary == ReceiverSummary())
                try await export(Self.batch0, on: connection)
                #expect(receiver.summary.traces.distinctItems == 6)
                #expect(receiver.summary.traces.duplicateItems == 0)
            }
        }
    }

    @Test("metrics and logs are not told apart: their distinct and duplicate counts stay 0")
    func otherSignals() async throws {
        try await withReceiver { receiver in
            try await withConnection(to: receiver) { connection in
                let logs = OTLPPayloads.logs(recordsPerResource: 3)
                let metrics = OTLPPayloads.metrics(metricsPerResource: 1, pointsPerMetric: 2)
                for _ in 0..<2 {
                    try await export(logs, of: .logs, on: connection)
                    try await export(metrics, of: .metrics, on: connection)
                }
                let summary = receiver.summary
                #expect(summary.logs.items == 6)
                #expect(summary.metrics.items == 4)
                for counts in [summary.logs, summary.metrics] {
                    #expect(counts.distinctItems == 0)
                    #expect(counts.duplicateItems == 0)
                }
            }
        }
    }

    /// Exports `body` and expects the answer's `status`. A statement of its own, so that the closures around it are
    /// inferred as throwing.
    private func export(
        _ body: [UInt8],
        of signal: OTLPSignal = .traces,
        on connection: TestHTTPConnection,
        gzip: Bool = false,
        expecting status: Int = 200,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let response = try await connection.export(signal, body, gzip: gzip).get()
        #expect(response.status == status, sourceLocation: sourceLocation)
    }
}
