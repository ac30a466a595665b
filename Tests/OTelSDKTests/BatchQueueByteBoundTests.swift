import OTelSDK
import OTelTesting
import Testing

/// The batch processors' byte bounds (`maxQueueBytes`, `maxExportBatchBytes`), on both signals.
///
/// Items carry a 100,000-byte attribute, so that an item's estimated size is a little above 100 kB whatever
/// the fixed framing the estimate adds; the bounds are chosen with room for that.
@Suite("Batch processors: byte bounds", .timeLimit(.minutes(2)))
struct BatchQueueByteBoundTests {
    static let padding = 100_000

    static func configuration(maxQueueBytes: Int, maxExportBatchBytes: Int? = nil) -> BatchConfiguration {
        BatchConfiguration(
            maxQueueSize: 100, maxExportBatchSize: 100, scheduleDelay: .seconds(3600),
            maxQueueBytes: maxQueueBytes, maxExportBatchBytes: maxExportBatchBytes ?? maxQueueBytes)
    }

    @Test("an item that would take the queue past its byte bound is dropped and counted", arguments: BatchProcessorKind.allCases)
    func byteBoundDropsAndCounts(kind: BatchProcessorKind) async {
        let processor = kind.make(Self.configuration(maxQueueBytes: 350_000))
        for n in 0..<4 { processor.submit(n, paddingBytes: Self.padding) }
        processor.submit(4)
        let result = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(result == FlushResult(outcome: .ok, exported: 4, pending: 0, dropped: 1))
        #expect(processor.exportedNames() == [0, 1, 2, 4].map(kind.name))
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("an item larger than the byte bound on its own is dropped and counted; smaller ones pass", arguments: BatchProcessorKind.allCases)
    func itemLargerThanTheBoundIsDropped(kind: BatchProcessorKind) async {
        let processor = kind.make(Self.configuration(maxQueueBytes: 50_000))
        processor.submit(0)
        processor.submit(1, paddingBytes: Self.padding)
        processor.submit(2)
        let result = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(result == FlushResult(outcome: .ok, exported: 2, pending: 0, dropped: 1))
        #expect(processor.exportedNames() == [0, 2].map(kind.name))
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("an export releases its batch's bytes", arguments: BatchProcessorKind.allCases)
    func exportReleasesBytes(kind: BatchProcessorKind) async {
        let processor = kind.make(Self.configuration(maxQueueBytes: 250_000))
        for round in 0..<3 {
            for n in 0..<2 { processor.submit(round * 2 + n, paddingBytes: Self.padding) }
            let result = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
            #expect(result == FlushResult(outcome: .ok, exported: 2, pending: 0, dropped: 0))
        }
        #expect(processor.exportedNames() == (0..<6).map(kind.name))
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("a batch kept after a failed export holds its bytes until it is finally dropped, then releases them", arguments: BatchProcessorKind.allCases)
    func keptBatchHoldsBytesUntilDropped(kind: BatchProcessorKind) async {
        let processor = kind.make(Self.configuration(maxQueueBytes: 250_000)) { attempt, _ in
            switch attempt {
            case 1: .retryLater(ExportFailure("connection refused"))
            case 2: .rejected(ExportFailure("HTTP 400"))
            default: .success
            }
        }
        for n in 0..<2 { processor.submit(n, paddingBytes: Self.padding) }
        let failed = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(failed.outcome == .failed("connection refused"))
        #expect(failed.pending == 2)
        // The kept batch still holds about 200 kB: a third large item does not fit.
        processor.submit(2, paddingBytes: Self.padding)
        let refused = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(refused.outcome == .failed("HTTP 400"))
        #expect(refused.dropped == 3)
        // The refused batch is gone and its bytes with it: two large items fit again.
        for n in 3..<5 { processor.submit(n, paddingBytes: Self.padding) }
        let next = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(next == FlushResult(outcome: .ok, exported: 2, pending: 0, dropped: 0))
        #expect(processor.exportedNames() == [3, 4].map(kind.name))
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("a batch is closed before an item that would take it past the batch byte bound; a larger item travels alone", arguments: BatchProcessorKind.allCases)
    func batchesAreSplitByBytes(kind: BatchProcessorKind) async {
        let processor = kind.make(Self.configuration(maxQueueBytes: 1_000_000, maxExportBatchBytes: 250_000))
        processor.submit(0, paddingBytes: Self.padding)
        processor.submit(1, paddingBytes: Self.padding)
        processor.submit(2, paddingBytes: 3 * Self.padding)
        processor.submit(3, paddingBytes: Self.padding)
        processor.submit(4, paddingBytes: Self.padding)
        // The first two batches close (and leave in the background) as the items arrive; the flush takes the rest.
        let result = await processor.forceFlush(Fixtures.deadline(.seconds(10)))
        #expect(result.outcome == .ok)
        #expect(result.pending == 0)
        #expect(result.dropped == 0)
        #expect(processor.exporter.batchSizes == [2, 1, 2])
        #expect(processor.exportedNames() == (0..<5).map(kind.name))
        _ = await processor.shutdown(Fixtures.deadline(.seconds(1)))
    }

    @Test("byte bounds come from OTEL_LAMBDA_BSP_* and OTEL_LAMBDA_BLRP_*, default 16 MiB and 4 MiB, a batch bound clamped to its queue's")
    func byteBoundsFromEnvironment() {
        let defaults = BatchConfiguration.spans(environment: OTelEnvironment([:], diagnostics: DiagnosticLogger.disabled))
        #expect(defaults.maxQueueBytes == 16 * 1024 * 1024)
        #expect(defaults.maxExportBatchBytes == 4 * 1024 * 1024)
        #expect(BatchConfiguration.logRecordDefaults.maxQueueBytes == 16 * 1024 * 1024)
        #expect(BatchConfiguration.logRecordDefaults.maxExportBatchBytes == 4 * 1024 * 1024)

        let capture = LogCapture()
        let spans = BatchConfiguration.spans(environment: OTelEnvironment([
            "OTEL_LAMBDA_BSP_MAX_QUEUE_BYTES": "1000000",
            "OTEL_LAMBDA_BSP_MAX_EXPORT_BATCH_BYTES": "2000000",
        ], diagnostics: capture.logger))
        #expect(spans.maxQueueBytes == 1_000_000)
        #expect(spans.maxExportBatchBytes == 1_000_000)
        #expect(capture.messages.contains { $0.contains("OTEL_LAMBDA_BSP_MAX_EXPORT_BATCH_BYTES") && $0.contains("1000000") })

        let logs = BatchConfiguration.logRecords(environment: OTelEnvironment([
            "OTEL_LAMBDA_BLRP_MAX_QUEUE_BYTES": "-5",
            "OTEL_LAMBDA_BLRP_MAX_EXPORT_BATCH_BYTES": "65536",
        ], diagnostics: capture.logger))
        #expect(logs.maxQueueBytes == 16 * 1024 * 1024)
        #expect(logs.maxExportBatchBytes == 65_536)
        #expect(capture.messages.contains { $0.contains("OTEL_LAMBDA_BLRP_MAX_QUEUE_BYTES='-5'") })

        // A queue bound below the default batch bound, the batch bound unset: clamped without a warning.
        let quiet = LogCapture()
        let small = BatchConfiguration.spans(environment: OTelEnvironment(["OTEL_LAMBDA_BSP_MAX_QUEUE_BYTES": "1048576"], diagnostics: quiet.logger))
        #expect(small.maxExportBatchBytes == 1_048_576)
        #expect(quiet.messages.isEmpty)
    }
}
