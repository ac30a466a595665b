/// Any log record exporter behind one concrete type, for ``BatchLogRecordProcessor``'s queue.
struct AnyLogRecordExporter: LogRecordExporter {
    private let base: any LogRecordExporter

    init(_ base: some LogRecordExporter) {
        self.base = base
    }

    func export(_ batch: [LogRecordData], deadline: ContinuousClock.Instant) async -> ExportResult {
        await base.export(batch, deadline: deadline)
    }

    func shutdown(deadline: ContinuousClock.Instant) async {
        await base.shutdown(deadline: deadline)
    }
}
