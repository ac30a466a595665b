// bare-entity-api: example-entity-api's function without telemetry, lambda-bench's baseline. The same EntityHandler,
// served by the same LambdaLifecycle runtime client, with no SDK bootstrapped: spans go to swift-distributed-tracing's
// no-op tracer, the counter to swift-metrics' no-op backend, the log line to stderr (as example-entity-api mirrors
// it). Nothing to flush, so no internal extension registers and the runtime calls `next` right after each response.

import EntityAPI
import LambdaLifecycle
import Logging
import OTelSDK

let environment = OTelEnvironment.process()
LoggingSystem.bootstrap(StreamLogHandler.standardError)
await LambdaRuntime(
    configuration: LambdaLifecycleConfiguration(strategy: .periodic),
    telemetry: FlushCoordinator(providers: []),
    handler: EntityHandler(environment: environment)
).run()
