// The smallest useful swift-otel 1.6.0 program, for binary size and cold start: bootstrap tracing
// (OTLP/HTTP, endpoint from OTEL_EXPORTER_OTLP_ENDPOINT), record one span, flush by graceful
// shutdown (swift-otel's only flush that can be awaited), exit.

import Logging
import OTel
import ServiceLifecycle
import Tracing

var config = OTel.Configuration.default
config.serviceName = "swiftotel-minimal"
config.metrics.enabled = false
config.logs.enabled = false
let observability = try OTel.bootstrap(configuration: config)
let group = ServiceGroup(services: [observability], logger: Logger(label: "minimal") { _ in SwiftLogNoOpLogHandler() })
let running = Task { try await group.run() }

withSpan("minimal.span", ofKind: .server) { span in
    span.attributes["faas.trigger"] = "http"
}

await group.triggerGracefulShutdown()
try await running.value
