extension SpanData: ExportSizeEstimating {
    /// IDs, flags, kind, timestamps, status code and dropped counts, with the span's own framing.
    private static let fixedBytes = 128
    /// An event's timestamp, dropped count and framing.
    private static let eventFixedBytes = 32
    /// A link's IDs, flags, dropped count and framing.
    private static let linkFixedBytes = 64

    var estimatedExportBytes: Int {
        var bytes = Self.fixedBytes + ExportSize.string(name) + ExportSize.string(context.traceState) + recordedAttributeBytes
        if case .error(let message) = status { bytes += ExportSize.string(message) }
        for event in events {
            bytes += Self.eventFixedBytes + ExportSize.string(event.name) + ExportSize.attributes(event.attributes)
        }
        for link in links {
            bytes += Self.linkFixedBytes + ExportSize.string(link.context.traceState) + ExportSize.attributes(link.attributes)
        }
        return bytes
    }
}
