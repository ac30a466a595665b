import OTelSDK

/// How the lifecycle adapter behaves. Defaults suit an API behind a gateway; ``init(environment:)`` reads the
/// variables below, each validated (a malformed value is reported, naming the variable and the default used).
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `OTEL_LAMBDA_FLUSH_STRATEGY` | `extension-gated`, `runtime-gated`, `synchronous`, `periodic` | `extension-gated` |
/// | `OTEL_INSTRUMENTATION_AWS_LAMBDA_FLUSH_TIMEOUT` | flush cap, ms | 10000 |
/// | `OTEL_LAMBDA_FLUSH_SAFETY_MARGIN` | kept free before the invocation deadline, ms | 200 |
/// | `OTEL_LAMBDA_LOG_FLUSH_EVENTS` | write one JSON line at each flush start and end | false |
/// | `AWS_LAMBDA_INITIALIZATION_TYPE` | `lambda-managed-instances` forces ``FlushStrategy/periodic`` | |
///
/// ``terminationSignal`` has no variable: it is decided by the code that starts the runtime (see
/// ``TerminationSignalHandling``).
public struct LambdaLifecycleConfiguration: Sendable {
    /// How telemetry is flushed after each invocation.
    public var strategy: FlushStrategy
    /// Bounds each invocation's drain (deferred actions + flush).
    public var flushDeadline: FlushDeadline
    /// The time given to the final flush on SIGTERM (or a service group's graceful shutdown). Lambda allows 500 ms in all when only internal extensions are
    /// registered, and as little as 300 ms with an external one: keep it below that.
    public var shutdownBudget: Duration
    /// Who answers SIGTERM: the runtime itself (final flush, then `exit(0)`; the default), or the `ServiceGroup` the
    /// runtime runs in (``TerminationSignalHandling/serviceGroup``).
    public var terminationSignal: TerminationSignalHandling
    /// The internal extension's name: unique within the function, and not the name of a file in `/opt/extensions`.
    public var extensionName: String
    /// Write `{"event":"otel.lambda.flush.start",...}` / `...flush.end` lines to stderr around each drain, so that a
    /// log reader (or the `lambda-sim` emulator) can see when flushes run. Off by default: two lines per invocation.
    public var logsFlushEvents: Bool
    /// Why the configured strategy was replaced at start-up (Lambda Managed Instances), if it was.
    public internal(set) var strategyOverride: String?

    public init(
        strategy: FlushStrategy = .extensionGated,
        flushDeadline: FlushDeadline = FlushDeadline(cap: .seconds(10), safetyMargin: .milliseconds(200)),
        shutdownBudget: Duration = .milliseconds(300),
        terminationSignal: TerminationSignalHandling = .finalFlushThenExit,
        extensionName: String = "swift-lambda-otel-flush",
        logsFlushEvents: Bool = false
    ) {
        self.strategy = strategy
        self.flushDeadline = flushDeadline
        self.shutdownBudget = shutdownBudget
        self.terminationSignal = terminationSignal
        self.extensionName = extensionName
        self.logsFlushEvents = logsFlushEvents
    }

    /// Reads the configuration from the environment (see the table above).
    public init(environment: OTelEnvironment) {
        self.init()
        if let value = environment.string("OTEL_LAMBDA_FLUSH_STRATEGY") {
            if let parsed = FlushStrategy(environmentValue: value) {
                strategy = parsed
            } else {
                environment.warnMalformed(
                    "OTEL_LAMBDA_FLUSH_STRATEGY", value,
                    expected: "extension-gated, runtime-gated, synchronous or periodic",
                    defaultDescription: strategy.description
                )
            }
        }
        flushDeadline.cap = environment.milliseconds("OTEL_INSTRUMENTATION_AWS_LAMBDA_FLUSH_TIMEOUT", default: flushDeadline.cap)
        flushDeadline.safetyMargin = environment.milliseconds("OTEL_LAMBDA_FLUSH_SAFETY_MARGIN", default: flushDeadline.safetyMargin)
        logsFlushEvents = environment.bool("OTEL_LAMBDA_LOG_FLUSH_EVENTS", default: logsFlushEvents)
        if environment.string("AWS_LAMBDA_INITIALIZATION_TYPE") == "lambda-managed-instances", strategy != .periodic {
            strategyOverride = "Lambda Managed Instances send internal extensions no per-invocation events and do not freeze between events: telemetry is exported on the batch processors' schedule instead of \(strategy)"
            strategy = .periodic
        }
    }
}
