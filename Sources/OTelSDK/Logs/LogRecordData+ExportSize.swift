extension LogRecordData: ExportSizeEstimating {
    /// Timestamps, severity number, trace and span IDs, flags, dropped count and the record's framing.
    private static let fixedBytes = 80

    var estimatedExportBytes: Int {
        Self.fixedBytes + (severityText.map(ExportSize.string) ?? 0) + (body?.estimatedExportBytes ?? 0) + ExportSize.attributes(attributes)
    }
}
