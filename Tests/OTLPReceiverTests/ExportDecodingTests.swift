import OTLPProto
import Testing

@testable import OTLPReceiver

/// The decode and answer steps of an export request on their own, without a connection.
@Suite("Export decode and answer steps", .timeLimit(.minutes(2)))
struct ExportDecodingTests {
    @Test("a gzip body decodes to its request and keeps the gunzipped bytes")
    func gzipBodyDecodes() throws {
        let traces = OTLPPayloads.traces(resources: 2, spansPerResource: 3)
        let decoding = OTLPExportDecoding.decode(
            .traces, wire: try Gzip.compress(traces), gzip: true, maxDecompressedBytes: 1 << 20
        )
        #expect(decoding.body == traces)
        #expect(decoding.failure == nil)
        #expect(decoding.contents?.summary.items == 6)
        #expect(decoding.contents?.spans.count == 6)
    }

    @Test("a body that is not an export request is a named error, and its bytes are kept for capture")
    func malformedProtobufIsNamed() {
        let wire: [UInt8] = [0x0A, 0x7F, 0x08, 0x01]  // declares 127 bytes, carries 2
        let decoding = OTLPExportDecoding.decode(.logs, wire: wire, gzip: false, maxDecompressedBytes: 1 << 20)
        #expect(decoding.body == wire)
        guard case .malformedRequest(.logs, _)? = decoding.failure else {
            Issue.record("expected malformedRequest(.logs), got \(String(describing: decoding.failure))")
            return
        }
    }

    @Test("a body that is not gzip is malformedGzip, with no decoded bytes")
    func corruptGzipIsNamed() {
        let decoding = OTLPExportDecoding.decode(.traces, wire: Array("not gzip".utf8), gzip: true, maxDecompressedBytes: 1 << 20)
        #expect(decoding.body == nil)
        guard case .malformedGzip? = decoding.failure else {
            Issue.record("expected malformedGzip, got \(String(describing: decoding.failure))")
            return
        }
    }

    @Test("a body that gunzips beyond the cap is decompressedTooLarge with the cap")
    func gzipBombIsTooLarge() throws {
        let bomb = try Gzip.compress([UInt8](repeating: 0, count: 100_000))
        let decoding = OTLPExportDecoding.decode(.metrics, wire: bomb, gzip: true, maxDecompressedBytes: 10_000)
        #expect(decoding.body == nil)
        #expect(decoding.failure == .decompressedTooLarge(limit: 10_000))
    }

    @Test("garbage and partial success do not apply to a refused body; drop and failure do")
    func faultsOnRefusedBody() {
        let refused = OTLPExportDecoding.decode(.traces, wire: [0x0A, 0x7F], gzip: false, maxDecompressedBytes: 1 << 20)
        let garbage = OTLPExportVerdict.decide(.traces, decoding: refused, plan: FaultPlan(action: .garbage(.html)))
        #expect(garbage.faults.isEmpty)
        #expect(garbage.count == nil)
        var summary = ReceiverSummary()
        garbage.tally(&summary)
        #expect(summary.traces.malformedRequests == 1)
        #expect(summary.faults.garbage == 0)
        guard case .respond(let status, _, _, _) = garbage.answer else {
            Issue.record("expected a response, got a close")
            return
        }
        #expect(status == .badRequest)

        let drop = OTLPExportVerdict.decide(.traces, decoding: refused, plan: FaultPlan(stall: .milliseconds(1), action: .drop))
        #expect(drop.faults == ["stall", "drop"])
        guard case .close = drop.answer else {
            Issue.record("expected a close")
            return
        }
    }
}
