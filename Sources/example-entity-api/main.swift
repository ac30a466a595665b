import EntityAPI
@_spi(LifecycleTesting) import LambdaLifecycle
import OTLPHTTP
import OTelSDK

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

// All three signals, behind swift-distributed-tracing, swift-metrics and swift-log; log records also go to stderr
// (CloudWatch Logs), as Lambda functions' logs do.
let telemetry = OTLPTelemetry.bootstrap(.init(environment: environment, instrumentationName: "example-entity-api"))
let handler = EntityHandler(environment: environment)
await LambdaRuntime(configuration: configuration, telemetry: telemetry, handler: handler).run()
