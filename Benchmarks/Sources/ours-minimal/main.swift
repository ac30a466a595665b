// The smallest useful program on this repository's SDK, the counterpart of swiftotel-minimal:
// the OTLP/HTTP pipeline from OTEL_* variables, one span, flush and shut down, exit.

import Instrumentation
import OTelSDK
import OTLPHTTP
import Tracing

let provider = TracerProvider.otlp()
let coordinator = FlushCoordinator(providers: [provider])
InstrumentationSystem.bootstrap(provider.tracer(name: "ours-minimal"))

withSpan("minimal.span", ofKind: .server) { span in
    span.attributes["faas.trigger"] = "http"
}

let report = await coordinator.shutdown(deadline: .now + .seconds(10))
guard report.isComplete else { fatalError("flush failed: \(report)") }
