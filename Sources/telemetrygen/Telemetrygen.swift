import ArgumentParser

/// `telemetrygen`: generates telemetry through the SDK exactly as an instrumented service would,
/// configured only by `OTEL_*` environment variables, and checks that all of it was exported.
@main
struct Telemetrygen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate telemetry with the SDK and export it over OTLP/HTTP.",
        discussion: "Configure the destination with OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318) and the other OTEL_* variables. Exits 0 only if everything generated was exported.",
        subcommands: [TracesCommand.self, MetricsCommand.self, LogsCommand.self]
    )
}

/// Options shared by every signal's subcommand.
struct GenerationOptions: ParsableArguments {
    @Option(help: "Items to generate in total.")
    var count: Int = 1000

    @Option(help: "Concurrent tasks generating items.")
    var workers: Int = 1

    @Option(help: "String attributes per item.")
    var attributes: Int = 5

    @Option(help: "Seconds the final flush may take.")
    var flushTimeout: Double = 30

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be at least 0") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        guard attributes >= 0 else { throw ValidationError("--attributes must be at least 0") }
        guard flushTimeout > 0 else { throw ValidationError("--flush-timeout must be positive") }
    }

    /// How many of `count` items worker `index` generates.
    func share(of index: Int) -> Int {
        count / workers + (index < count % workers ? 1 : 0)
    }
}
