import EntityAPI
@_spi(LifecycleTesting) import LambdaLifecycle
import OTLPHTTP
import OTelSDK

// entity-api-naive: a test and benchmark fixture, not an example. example-entity-api's function with the naive
// runtime's bug, the early `next` (`FlushStrategy.earlyNext`): the next invocation is asked for while the flush runs,
// so Lambda may freeze the sandbox mid-flush. flush-bench's `naive` strategy and the end-to-end tests run it to show
// that lambda-sim catches it. OTEL_LAMBDA_FLUSH_STRATEGY is not read; the other variables are example-entity-api's.

let environment = OTelEnvironment.process()
var configuration = LambdaLifecycleConfiguration(environment: environment)
configuration.strategy = .earlyNext

let telemetry = OTLPTelemetry.bootstrap(.init(environment: environment, instrumentationName: "entity-api-naive"))
let handler = EntityHandler(environment: environment)
await LambdaRuntime(configuration: configuration, telemetry: telemetry, handler: handler).run()
