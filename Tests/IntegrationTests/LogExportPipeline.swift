import Logging
import OTelSDK
import OTLPHTTP

/// A log pipeline wired to a real receiver over HTTP, fed through the swift-log bridge.
struct LogExportPipeline {
    let provider: LoggerProvider
    let logger: Logger

    init(
        endpoint: String, compression: OTLPCompression = .none,
        circuitBreaker: OTLPCircuitBreakerPolicy = ExportPipeline.testCircuitBreaker, diagnostics: Logger = DiagnosticLogger.disabled
    ) {
        var configuration = ExportPipeline.exporterConfiguration(.logs, endpoint: endpoint, compression: compression)
        configuration.circuitBreaker = circuitBreaker
        let processor = BatchLogRecordProcessor(
            exporter: OTLPLogRecordExporter(configuration: configuration, diagnostics: diagnostics),
            configuration: BatchConfiguration(maxQueueSize: 10_000, maxExportBatchSize: 512, scheduleDelay: .seconds(3600)),
            diagnostics: diagnostics
        )
        let provider = LoggerProvider(resource: Resource(attributes: [Attribute("service.name", .string("integration"))]), processors: [processor])
        self.provider = provider
        logger = Logger(label: "integration-tests") { OTelLogHandler(label: $0, provider: provider) }
    }

    func log(_ count: Int) {
        for index in 0..<count {
            logger.info("record \(index)", metadata: ["index": "\(index)", "nested": ["a": "1", "b": ["x", "y"]]])
        }
    }

    func flush(within duration: Duration) async -> FlushResult {
        await provider.forceFlush(deadline: .now + duration)
    }

    func shutdown() async {
        _ = await provider.shutdown(deadline: .now + .seconds(2))
    }
}
