import ArgumentParser
import OTelSDK
import OTLPHTTP

/// `telemetrygen metrics`: each measurement adds 1 to the counter `telemetrygen.measurements` and
/// records a value in the histogram `telemetrygen.duration`, through handles bound to one of a few
/// attribute sets per worker (as a service keeps its metrics).
///
/// So the receiver can check delivery: the counter's series add up to `--count`, and so do the
/// histogram's counts (with cumulative temporality, the last value of each series; with delta, the
/// sum of all points). Flushes and exit rule: ``GenerationRun``.
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "metrics", abstract: "Record counter and histogram measurements.")

    /// Attribute sets per worker.
    private static let seriesPerWorker = 8

    @OptionGroup var options: GenerationOptions

    @Option(help: "Measurements per worker between flushes (default: 1024 / workers).")
    var flushEvery: Int?

    func run() async throws {
        let environment = OTelEnvironment.process()
        let provider = MeterProvider.otlp(environment: environment)
        let meter = provider.meter(name: "telemetrygen", version: SDKInfo.version)
        let counter = meter.counter(name: "telemetrygen.measurements", unit: "{measurement}", description: "Measurements made", of: Int64.self)
        let histogram = meter.histogram(name: "telemetrygen.duration", unit: "ms", description: "A made-up duration", of: Double.self)

        let attributeCount = options.attributes
        let handles = (0..<options.workers).map { worker in
            (0..<Self.seriesPerWorker).map { series in
                let attributes = (0..<attributeCount).map { Attribute("attribute.\($0)", .string("value-\(worker)-\(series)")) }
                return (counter.bind(attributes), histogram.bind(attributes))
            }
        }
        try await GenerationRun(signal: "metrics", unit: "measurements", options: options, flushEvery: flushEvery)
            .run(providers: [provider], environment: environment) { worker, index in
                let (count, duration) = handles[worker][index % Self.seriesPerWorker]
                count.add(1)
                duration.record(Double(index % 2000))
            }
    }
}
