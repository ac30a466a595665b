import NIOConcurrencyHelpers
import OTelSDK
import ServiceContextModule
import Tracing

/// Starts one span per invocation, following the OpenTelemetry FaaS semantic conventions, through the globally
/// bootstrapped `InstrumentationSystem.tracer` (a no-op until the application bootstraps one).
///
/// - name: the function name (`AWS_LAMBDA_FUNCTION_NAME`); kind: server for `http` triggers, internal otherwise;
/// - attributes: `faas.invocation_id`, `faas.trigger`, `faas.coldstart` (true for the first invocation of the
///   process), `cloud.resource_id` (the invoked ARN), `cloud.account.id` (from the ARN);
/// - parent: the W3C `traceparent`/`tracestate` the event carries (``LambdaTraceCarrier``), else the X-Ray header
///   Lambda sends (`Lambda-Runtime-Trace-Id`, also exported as `_X_AMZN_TRACE_ID`), else none;
/// - a thrown error is recorded on the span (exception event, status error) and rethrown.
struct InvocationTracing: Sendable {
    let functionName: String
    private let coldStart = NIOLockedValueBox(true)

    init(functionName: String) {
        self.functionName = functionName
    }

    func withInvocationSpan<T>(
        _ invocation: LambdaInvocation,
        trigger: String,
        carrier: (any LambdaTraceCarrier)?,
        _ body: () async throws -> T
    ) async throws -> T {
        var context = ServiceContext.topLevel
        context.spanContext = Self.parent(invocation: invocation, carrier: carrier)
        let isColdStart = coldStart.withLockedValue { value in
            defer { value = false }
            return value
        }
        return try await withSpan(functionName, context: context, ofKind: trigger == "http" ? .server : .internal) { span in
            span.attributes["faas.invocation_id"] = invocation.requestID
            span.attributes["faas.trigger"] = trigger
            span.attributes["faas.coldstart"] = isColdStart
            if !invocation.invokedFunctionARN.isEmpty {
                span.attributes["cloud.resource_id"] = invocation.invokedFunctionARN
                if let account = Self.accountID(arn: invocation.invokedFunctionARN) {
                    span.attributes["cloud.account.id"] = account
                }
            }
            return try await body()
        }
    }

    static func parent(invocation: LambdaInvocation, carrier: (any LambdaTraceCarrier)?) -> SpanContext? {
        if let carrier, let parent = W3CTraceContextPropagator().extract(getHeader: carrier.traceHeader) {
            return parent
        }
        return invocation.traceHeader.flatMap(XRayPropagator.parse)
    }

    /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` → `ACCOUNT`.
    static func accountID(arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", !parts[4].isEmpty else { return nil }
        return String(parts[4])
    }
}
