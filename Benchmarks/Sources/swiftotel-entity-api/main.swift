// swiftotel-entity-api: example-entity-api's function bootstrapping swift-otel 1.6.0 instead of this repository's
// SDK, for lambda-bench's cold-start comparison. The same EntityHandler, served by the same LambdaLifecycle runtime
// client (configured from the same OTEL_LAMBDA_* variables); traces, metrics and logs go through swift-otel's
// `OTel.bootstrap` (OTLP/HTTP, endpoint and service name from OTEL_* variables), run as a ServiceLifecycle service.

import EntityAPI
import LambdaLifecycle
import Logging
import OTel
import OTelSDK
import ServiceLifecycle

let environment = OTelEnvironment.process()
let observability = try OTel.bootstrap(configuration: .default)
let services = ServiceGroup(services: [observability], logger: Logger(label: "swift-otel") { _ in SwiftLogNoOpLogHandler() })
let running = Task { try await services.run() }
let telemetry = FlushCoordinator(providers: [SwiftOTelProvider(services: services, running: running)])
await LambdaRuntime(
    configuration: LambdaLifecycleConfiguration(environment: environment),
    telemetry: telemetry,
    handler: EntityHandler(environment: environment)
).run()
