import NIOConcurrencyHelpers
import OTelSDK
import ServiceContextModule
import Tracing

/// Starts one span per invocation, following the OpenTelemetry FaaS semantic conventions, through the globally
/// bootstrapped `InstrumentationSystem.tracer` (a no-op until the application bootstraps one).
///
/// - name: the function name (`AWS_LAMBDA_FUNCTION_NAME`), except for an HTTP event with a route template
///   (``LambdaHTTPRequestEvent/httpRoute``: API Gateway's `resource` or route key), which names the span after the
///   route (`/pets/{petId}`), as the conventions' API Gateway section asks; kind: server (the conventions' rule for
///   AWS Lambda), except for a message batch (``MessageBatchEvent``, SQS): kind consumer, named and attributed as
///   ``MessageBatch`` says, with one span link per message that carries a context;
/// - attributes: `faas.invocation_id`, `faas.trigger`, `faas.coldstart` (true for the first invocation of the
///   process), `aws.lambda.invoked_arn` (the ARN the caller invoked, alias included), `cloud.account.id` (from the
///   ARN); for an HTTP event (``LambdaHTTPRequestEvent``) `http.request.method`, `url.path`, `http.route`, and for an
///   HTTP response (``LambdaHTTPResponseOutput``) `http.response.status_code`, with status error for a 5xx;
/// - parent and links: ``InvocationParent``: the context the configured propagators (`OTEL_PROPAGATORS`) find in the
///   event (``LambdaTraceCarrier``), Lambda's X-Ray header only when `xray-lambda` is configured; otherwise Lambda's
///   X-Ray context (`Lambda-Runtime-Trace-Id`, also exported as `_X_AMZN_TRACE_ID`) is a span link;
/// - a thrown error is recorded on the span (exception event, status error) and rethrown.
struct InvocationTracing: Sendable {
    let functionName: String
    /// The propagators that extract the parent from the event, as `OTEL_PROPAGATORS` configures them.
    let propagators: [any SpanContextPropagator]
    private let coldStart = NIOLockedValueBox(true)

    init(functionName: String, propagators: [any SpanContextPropagator]) {
        self.functionName = functionName
        self.propagators = propagators
    }

    /// Named after `AWS_LAMBDA_FUNCTION_NAME`, extracting with the propagators of `OTEL_PROPAGATORS`. A malformed
    /// value is not reported here: the tracer provider reads the same variable and reports it.
    init(environment: [String: String]) {
        self.init(
            functionName: environment["AWS_LAMBDA_FUNCTION_NAME"] ?? "lambda",
            propagators: PropagatorConfiguration.propagators(from: OTelEnvironment(environment, diagnostics: DiagnosticLogger.disabled))
        )
    }

    func withInvocationSpan<T>(
        _ invocation: LambdaInvocation,
        trigger: String,
        carrier: (any LambdaTraceCarrier)?,
        httpRequest: (any LambdaHTTPRequestEvent)? = nil,
        batch: MessageBatch? = nil,
        _ body: () async throws -> T
    ) async throws -> T {
        let selected = InvocationParent.select(propagators: propagators, lambdaTraceHeader: invocation.traceHeader, carrier: carrier)
        var context = ServiceContext.topLevel
        context.spanContext = selected.parent
        let isColdStart = coldStart.withLockedValue { value in
            defer { value = false }
            return value
        }
        let name = batch?.spanName ?? httpRequest?.httpRoute ?? functionName
        return try await withSpan(name, context: context, ofKind: batch == nil ? .server : .consumer) { span in
            let links = (selected.lambdaLink.map { [$0] } ?? []) + (batch?.links ?? [])
            for link in links {
                var linked = ServiceContext.topLevel
                linked.spanContext = link
                span.addLink(SpanLink(context: linked, attributes: [:]))
            }
            span.attributes["faas.invocation_id"] = invocation.requestID
            span.attributes["faas.trigger"] = trigger
            span.attributes["faas.coldstart"] = isColdStart
            if !invocation.invokedFunctionARN.isEmpty {
                span.attributes["aws.lambda.invoked_arn"] = invocation.invokedFunctionARN
                if let account = Self.accountID(arn: invocation.invokedFunctionARN) {
                    span.attributes["cloud.account.id"] = account
                }
            }
            if let httpRequest {
                span.attributes["http.request.method"] = httpRequest.httpMethod
                span.attributes["url.path"] = httpRequest.httpPath
                if let route = httpRequest.httpRoute {
                    span.attributes["http.route"] = route
                }
            }
            if let batch {
                span.attributes["messaging.system"] = batch.system
                span.attributes["messaging.operation.type"] = "process"
                span.attributes["messaging.operation.name"] = "process"
                span.attributes["messaging.batch.message_count"] = batch.messageCount
                if let destination = batch.destinationName {
                    span.attributes["messaging.destination.name"] = destination
                }
            }
            let output = try await body()
            if let response = output as? any LambdaHTTPResponseOutput {
                span.attributes["http.response.status_code"] = response.httpStatusCode
                if response.httpStatusCode >= 500 {
                    span.setStatus(SpanStatus(code: .error))
                }
            }
            return output
        }
    }

    /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` → `ACCOUNT`.
    static func accountID(arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", !parts[4].isEmpty else { return nil }
        return String(parts[4])
    }
}
