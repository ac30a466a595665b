import ArgumentParser
import Instrumentation
import OTelSDK
import OTLPHTTP
import Tracing

/// `telemetrygen traces`: starts and ends spans with `withSpan` on the globally bootstrapped tracer.
///
/// Flushes and exit rule: ``GenerationRun`` (the final flush must leave nothing pending and
/// nothing dropped).
struct TracesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "traces", abstract: "Generate spans.")

    @OptionGroup var options: GenerationOptions

    @Option(help: "Spans per worker between flushes (default: 1024 / workers).")
    var flushEvery: Int?

    func run() async throws {
        let environment = OTelEnvironment.process()
        let provider = TracerProvider.otlp(environment: environment)
        InstrumentationSystem.bootstrap(provider.tracer(name: "telemetrygen", version: SDKInfo.version))

        let attributeNames = (0..<options.attributes).map { "attribute.\($0)" }
        try await GenerationRun(signal: "traces", unit: "spans", options: options, flushEvery: flushEvery)
            .run(providers: [provider], environment: environment) { worker, index in
                withSpan("telemetrygen.span", ofKind: .internal) { span in
                    for name in attributeNames {
                        span.attributes[name] = "value-\(worker)-\(index)"
                    }
                }
            }
    }
}
