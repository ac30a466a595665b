import OTelSDK
import OTLPHTTP
import OTLPProto

/// A pipeline of one signal wired to a real receiver, as the fault tests that every signal must
/// pass drive it: ``ExportPipeline`` (spans) and ``LogExportPipeline`` (log records).
protocol SignalPipeline {
    /// Records `count` items (spans, log records) through the signal's API.
    func produce(_ count: Int)
    func flush(within duration: Duration) async -> FlushResult
    func shutdown() async
}

extension ExportPipeline: SignalPipeline {
    func produce(_ count: Int) { makeSpans(count) }
}

extension LogExportPipeline: SignalPipeline {
    func produce(_ count: Int) { log(count) }
}

/// The signals whose pipelines the fault tests run on.
enum PipelineKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case traces
    case logs

    var description: String { rawValue }

    var signal: OTLPSignal {
        switch self {
        case .traces: .traces
        case .logs: .logs
        }
    }

    func make(endpoint: String) -> any SignalPipeline {
        switch self {
        case .traces: ExportPipeline(endpoint: endpoint)
        case .logs: LogExportPipeline(endpoint: endpoint)
        }
    }
}
