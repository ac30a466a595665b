import EntityAPI
import LambdaLifecycle
import OTLPHTTP
import OTelSDK

// example-entity-api: the bootstrap of a provided.al2023 function, instrumented only with the ecosystem APIs
// (swift-distributed-tracing, swift-metrics, swift-log) and exported over OTLP/HTTP; all three signals leave after
// each response by the strategy in OTEL_LAMBDA_FLUSH_STRATEGY.
//
// A variable of its own: EXAMPLE_WORK_MS, simulated work per request, "MIN-MAX" or "N" milliseconds (default 25-200).

// One environment for all three, so that a malformed variable is reported once.
let environment = OTelEnvironment.process()
let configuration = LambdaLifecycleConfiguration(environment: environment)

// All three signals, behind swift-distributed-tracing, swift-metrics and swift-log; log records also go to stderr
// (CloudWatch Logs), as Lambda functions' logs do.
let telemetry = OTLPTelemetry.bootstrap(.init(environment: environment, instrumentationName: "example-entity-api"))
let handler = EntityHandler(environment: environment)
await LambdaRuntime(configuration: configuration, telemetry: telemetry, handler: handler).run()
