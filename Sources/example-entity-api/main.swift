import EntityAPI
@_spi(LifecycleTesting) import LambdaLifecycle
import Logging
import Metrics
import OTLPHTTP
import OTelSDK
import Tracing

// example-entity-api: the bootstrap of a provided.al2023 function, instrumented only with the ecosystem APIs
// (swift-distributed-tracing, swift-metrics, swift-log) and exported over OTLP/HTTP; all three signals leave after
// each response by the strategy in OTEL_LAMBDA_FLUSH_STRATEGY.
//
// Variables of its own:
//   EXAMPLE_WORK_MS           simulated work per request, "MIN-MAX" or "N" milliseconds (default 25-200)
//   OTEL_LAMBDA_FLUSH_STRATEGY also accepts "naive" here: the early-next bug, for benchmarks and tests only.

let environment = OTelEnvironment.process()
var values = environment.values
let naive = values["OTEL_LAMBDA_FLUSH_STRATEGY"]?.lowercased() == "naive"
if naive {
    values["OTEL_LAMBDA_FLUSH_STRATEGY"] = nil
}
var configuration = LambdaLifecycleConfiguration(environment: OTelEnvironment(values, diagnostics: environment.diagnostics))
if naive {
    configuration.strategy = .earlyNext
}

let resource = LambdaResourceDetector().detect()
let tracerProvider = TracerProvider.otlp(environment: environment, additionalResource: resource)
let meterProvider = MeterProvider.otlp(environment: environment, additionalResource: resource)
let loggerProvider = LoggerProvider.otlp(environment: environment, additionalResource: resource)
InstrumentationSystem.bootstrap(tracerProvider.tracer(name: "example-entity-api"))
MetricsSystem.bootstrap(OTelMetricsFactory(meter: meterProvider.meter(name: "example-entity-api")))
// Log records go to the collector and, as Lambda functions do, to stderr (CloudWatch Logs).
LoggingSystem.bootstrap { OTelLogHandler(label: $0, provider: loggerProvider, mirrorToStandardError: true) }
let telemetry = FlushCoordinator(providers: [tracerProvider, meterProvider, loggerProvider])
let handler = EntityHandler(environment: environment)
await LambdaRuntime(configuration: configuration, telemetry: telemetry, handler: handler).run()
