import Logging
import OTelSDK
import OTLPHTTP
import OTLPReceiver
import Tracing

/// A trace pipeline wired to a real receiver over HTTP, as tests need it.
struct ExportPipeline {
    let provider: TracerProvider
    let tracer: OTelTracer

    init(
        endpoint: String, compression: OTLPCompression = .none, headers: [(name: String, value: String)] = [],
        circuitBreaker: OTLPCircuitBreakerPolicy = Self.testCircuitBreaker, diagnostics: Logger = DiagnosticLogger.disabled
    ) {
        var configuration = Self.exporterConfiguration(.traces, endpoint: endpoint, compression: compression, headers: headers)
        configuration.circuitBreaker = circuitBreaker
        let processor = BatchSpanProcessor(
            exporter: OTLPSpanExporter(configuration: configuration, diagnostics: diagnostics),
            configuration: BatchConfiguration(maxQueueSize: 10_000, maxExportBatchSize: 512, scheduleDelay: .seconds(3600)),
            diagnostics: diagnostics
        )
        provider = TracerProvider(resource: Resource(attributes: [Attribute("service.name", .string("integration"))]), sampler: AlwaysOnSampler(), processors: [processor])
        tracer = provider.tracer(name: "integration-tests")
    }

    /// The circuit breaker of the tests that are not about it: it opens as usual but lets the next export
    /// probe at once, so that a test's next flush is not refused for a second after the receiver is back.
    static let testCircuitBreaker = OTLPCircuitBreakerPolicy(initialBackoff: .zero)

    /// The exporter configuration of a test pipeline: short timeout and back-off, a breaker that probes at
    /// once (``testCircuitBreaker``), `signal`'s path.
    static func exporterConfiguration(_ signal: OTLPSignal, endpoint: String, compression: OTLPCompression = .none, headers: [(name: String, value: String)] = []) -> OTLPExporterConfiguration {
        OTLPExporterConfiguration(
            signal: signal,
            endpoint: OTLPEndpoint(endpoint + "/v1/\(signal.rawValue)")!,
            headers: headers,
            compression: compression,
            timeout: .seconds(5),
            retry: OTLPRetryPolicy(initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(200)),
            circuitBreaker: testCircuitBreaker
        )
    }

    func makeSpans(_ count: Int, prefix: String = "span") {
        for index in 0..<count {
            tracer.withSpan("\(prefix)-\(index)", ofKind: .server) { span in
                span.attributes["index"] = index
            }
        }
    }

    func flush(within duration: Duration) async -> FlushResult {
        await provider.forceFlush(deadline: .now + duration)
    }

    func shutdown() async {
        _ = await provider.shutdown(deadline: .now + .seconds(2))
    }
}
