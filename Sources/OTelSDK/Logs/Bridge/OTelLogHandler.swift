import Logging
import ServiceContextModule

/// The swift-log bridge: a `LogHandler` that turns every log call into an OpenTelemetry log record.
///
/// ```swift
/// let logs = LoggerProvider.otlp()
/// LoggingSystem.bootstrap { OTelLogHandler(label: $0, provider: logs) }
/// ```
///
/// Mapping: the level becomes the severity (``SeverityNumber/init(_:)``; severity text its short
/// name), the message the body, metadata (the handler's, the metadata provider's, then the call's,
/// later ones winning; nested dictionaries and arrays kept as nested values) the attributes, then
/// `code.file.path`, `code.function.name`, `code.line.number`, `swift.log.source` (swift-log's
/// `source`, the module by default) and, for a call with an error, `exception.type` and
/// `exception.message`. The logger's label is the instrumentation scope. The span active in the
/// current task (`ServiceContext.current`) gives the record its trace ID, span ID and flags.
///
/// Cost and safety: a log call converts the metadata and enqueues one record; it never blocks and
/// does no I/O (unless mirroring to standard error, which writes there synchronously). When the
/// processor's queue is full the record is dropped and counted. The handler is a value: changing
/// its level or metadata affects only that `Logger`. The SDK's own diagnostics
/// (``DiagnosticLogger``) never go through `LoggingSystem`, so they cannot loop back into this handler.
public struct OTelLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata {
        didSet { mirror?.metadata = metadata }
    }
    public var metadataProvider: Logger.MetadataProvider? {
        didSet { mirror?.metadataProvider = metadataProvider }
    }
    private let logger: OTelLogger
    /// Writes each record to standard error too (Lambda ships it to CloudWatch Logs).
    private var mirror: StreamLogHandler?

    /// - Parameters:
    ///   - label: the swift-log label; it names the instrumentation scope.
    ///   - provider: where the records go.
    ///   - logLevel: the least severe level recorded.
    ///   - metadataProvider: contextual metadata added to every record (swift-log's).
    ///   - mirrorToStandardError: also write every record, formatted by swift-log's
    ///     `StreamLogHandler`, to standard error.
    public init(
        label: String,
        provider: LoggerProvider,
        logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        mirrorToStandardError: Bool = false
    ) {
        self.logger = provider.logger(name: label)
        self.logLevel = logLevel
        self.metadata = [:]
        self.metadataProvider = metadataProvider
        self.mirror = mirrorToStandardError ? StreamLogHandler.standardError(label: label, metadataProvider: metadataProvider) : nil
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        mirror?.log(event: event)
        var attributes: [Attribute] = []
        let callMetadata = event.metadata ?? [:]
        let providedMetadata = metadataProvider?.get() ?? [:]
        if metadata.isEmpty, providedMetadata.isEmpty {
            attributes.reserveCapacity(callMetadata.count + 6)
            append(callMetadata, to: &attributes)
        } else {
            var merged = metadata
            merged.merge(providedMetadata) { _, provided in provided }
            merged.merge(callMetadata) { _, call in call }
            attributes.reserveCapacity(merged.count + 6)
            append(merged, to: &attributes)
        }
        attributes.append(Attribute("code.file.path", .string(event.file)))
        attributes.append(Attribute("code.function.name", .string(event.function)))
        attributes.append(Attribute("code.line.number", .int(Int64(event.line))))
        attributes.append(Attribute("swift.log.source", .string(event.source)))
        if let error = event.error {
            attributes.append(Attribute("exception.type", .string(String(reflecting: type(of: error)))))
            attributes.append(Attribute("exception.message", .string(String(describing: error))))
        }
        let severity = SeverityNumber(event.level)
        logger.emit(severity: severity, severityText: severity.shortName, body: .string(event.message.description), attributes: attributes)
    }

    private func append(_ metadata: Logger.Metadata, to attributes: inout [Attribute]) {
        for (key, value) in metadata {
            attributes.append(Attribute(key, AttributeValue(value)))
        }
    }
}
