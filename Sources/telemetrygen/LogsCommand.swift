import ArgumentParser
import Logging
import OTelSDK
import OTLPHTTP

/// `telemetrygen logs`: logs with swift-log (`logger.info`) through the bootstrapped swift-log
/// bridge (``OTelLogHandler``), exactly as a service instrumented only with swift-log would.
///
/// Every record has a unique body (`telemetrygen log <worker>-<index>`) and `--attributes`
/// metadata entries. Flushes and exit rule: ``GenerationRun`` (the final flush must leave nothing
/// pending and nothing dropped).
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Generate log records with swift-log.")

    @OptionGroup var options: GenerationOptions

    @Option(help: "Log records per worker between flushes (default: 1024 / workers).")
    var flushEvery: Int?

    func run() async throws {
        let environment = OTelEnvironment.process()
        let provider = LoggerProvider.otlp(environment: environment)
        LoggingSystem.bootstrap { OTelLogHandler(label: $0, provider: provider) }
        let logger = Logger(label: "telemetrygen")

        let attributeNames = (0..<options.attributes).map { "attribute.\($0)" }
        try await GenerationRun(signal: "logs", unit: "log records", options: options, flushEvery: flushEvery)
            .run(providers: [provider], environment: environment) { worker, index in
                var metadata = Logger.Metadata()
                for name in attributeNames {
                    metadata[name] = "value-\(worker)-\(index)"
                }
                logger.info("telemetrygen log \(worker)-\(index)", metadata: metadata)
            }
    }
}
