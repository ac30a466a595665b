import NIOCore
import OTLPProto
import OTLPReceiver
import Testing

@Suite("OTLPReceiver memory bounds", .timeLimit(.minutes(2)))
struct ReceiverBoundsTests {
    /// 2 resources × 3 spans.
    static let batch0 = OTLPPayloads.traces(resources: 2, spansPerResource: 3)
    /// 1 resource × 4 spans, none of them in `batch0`.
    static let batch1 = OTLPPayloads.traces(spansPerResource: 4, batch: 1)

    @Test("a connection beyond maxConnections is closed when accepted and counted; the others go on")
    func connectionCap() async throws {
        try await withReceiver(.init(maxConnections: 2)) { receiver in
            try await withConnection(to: receiver) { first in
                try await withConnection(to: receiver) { second in
                    // An answer on each proves both are registered.
                    try await export(Self.batch0, on: first)
                    try await export(Self.batch1, on: second)
                    try await withConnection(to: receiver) { third in
                        let refused = await receiver.wait(timeout: .seconds(10)) { $0.refusedConnections == 1 }
                        #expect(refused)
                        if refused { try await third.closed.get() }
                    }
                    try await export(Self.batch0, on: first)
                }
            }
            #expect(receiver.summary.refusedConnections == 1)
        }
    }

    @Test("a connection silent for the idle timeout is closed and counted")
    func idleTimeout() async throws {
        try await withReceiver(.init(idleTimeout: .milliseconds(200))) { receiver in
            try await withConnection(to: receiver) { connection in
                try await export(Self.batch0, on: connection)
                let closed = await receiver.wait(timeout: .seconds(10)) { $0.idleClosedConnections == 1 }
                #expect(closed)
                if closed { try await connection.closed.get() }
            }
        }
    }

    @Test("an answer stalled past the idle timeout is still delivered")
    func stallOutlastsIdleTimeout() async throws {
        let configuration = OTLPReceiver.Configuration(
            faults: ReceiverFaults(stall: .init(every: 1, duration: .milliseconds(700))),
            idleTimeout: .milliseconds(200)
        )
        try await withReceiver(configuration) { receiver in
            try await withConnection(to: receiver) { connection in
                try await export(Self.batch0, on: connection)
                #expect(receiver.summary.traces.items == 6)
            }
        }
    }

    @Test("the span identities stay within maxTrackedSpans; repeats inside the window count as duplicates")
    func trackedSpansCap() async throws {
        try await withReceiver(.init(maxTrackedSpans: 8)) { receiver in
            try await withConnection(to: receiver) { connection in
                try await export(Self.batch0, on: connection)
                try await export(Self.batch1, on: connection)
                #expect(receiver.trackedSpanCount == 8)
                var traces = receiver.summary.traces
                #expect(traces.distinctItems == 10)
                #expect(traces.forgottenIdentities == 2)

                // batch1 is among the 8 most recent identities: all 4 are duplicates.
                try await export(Self.batch1, on: connection)
                traces = receiver.summary.traces
                #expect(traces.duplicateItems == 4)
                #expect(traces.items == traces.distinctItems + traces.duplicateItems)

                for _ in 0..<20 {
                    try await export(Self.batch0, on: connection)
                    try await export(Self.batch1, on: connection)
                }
                #expect(receiver.trackedSpanCount <= 8)
                traces = receiver.summary.traces
                #expect(traces.items == 14 + 20 * 10)
                #expect(traces.items == traces.distinctItems + traces.duplicateItems)
            }
            receiver.reset()
            #expect(receiver.trackedSpanCount == 0)
            #expect(receiver.summary.traces.forgottenIdentities == 0)
        }
    }

    /// Exports `body` as traces and expects 200. A statement of its own, so that the closures around it are inferred
    /// as throwing.
    private func export(_ body: [UInt8], on connection: TestHTTPConnection, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await connection.export(.traces, body).get()
        #expect(response.status == 200, sourceLocation: sourceLocation)
    }
}
