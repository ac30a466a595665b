import CoreMetrics
import Logging
import OTelSDK
import Tracing

/// The SDK in one call: the three signals exported over OTLP/HTTP, configured by the `OTEL_*` variables, behind the
/// ecosystem's APIs.
///
/// ```swift
/// let telemetry = OTLPTelemetry.bootstrap()
/// // swift-distributed-tracing, swift-metrics and swift-log now report through the SDK.
/// // In AWS Lambda: await LambdaRuntime(telemetry: telemetry, handler: MyHandler()).run()
/// ```
///
/// ``bootstrap(_:)`` builds a `TracerProvider`, a `MeterProvider` and a `LoggerProvider` with
/// `TracerProvider.otlp(environment:additionalResource:)` and its siblings (so every `OTEL_*` variable they read
/// applies, `OTEL_SDK_DISABLED` and `OTEL_<SIGNAL>_EXPORTER=none` included), with the resource of
/// `OTEL_SERVICE_NAME` / `OTEL_RESOURCE_ATTRIBUTES`, then in Lambda the function's (`LambdaResourceDetector`),
/// then ``Configuration/resource``, later ones winning. It bootstraps `InstrumentationSystem`, `MetricsSystem` and
/// `LoggingSystem` with them, each unless turned off, and returns the `FlushCoordinator` over the three.
public enum OTLPTelemetry {
    /// What ``bootstrap(_:)`` does beyond the `OTEL_*` variables.
    public struct Configuration: Sendable {
        /// Where the variables are read (`OTEL_*` and Lambda's); the process environment by default.
        public var environment: OTelEnvironment
        /// Resource attributes that win over those of the variables (for example `service.version`).
        public var resource: Resource
        /// The instrumentation scope of the tracer and meter behind the ecosystem APIs.
        public var instrumentationName: String
        /// Bootstrap swift-distributed-tracing's `InstrumentationSystem` with the tracer. Default true.
        public var bootstrapsTracing: Bool
        /// Bootstrap swift-metrics' `MetricsSystem` with `OTelMetricsFactory`. Default true.
        public var bootstrapsMetrics: Bool
        /// Bootstrap swift-log's `LoggingSystem` with `OTelLogHandler`. Default true.
        public var bootstrapsLogging: Bool
        /// The least severe swift-log level recorded. Default `info`.
        public var logLevel: Logger.Level
        /// Also write each log record to standard error, which Lambda ships to CloudWatch Logs. Default: in Lambda
        /// (`AWS_LAMBDA_FUNCTION_NAME` set) yes, elsewhere no.
        public var mirrorsLogsToStandardError: Bool?
        /// Whether flushes record the SDK's own flush metrics (`FlushCoordinator`); nil lets
        /// `OTEL_LAMBDA_SELF_TELEMETRY` decide.
        public var selfTelemetry: Bool?

        public init(
            environment: OTelEnvironment = .process(),
            resource: Resource = .empty,
            instrumentationName: String = SDKInfo.name,
            bootstrapsTracing: Bool = true,
            bootstrapsMetrics: Bool = true,
            bootstrapsLogging: Bool = true,
            logLevel: Logger.Level = .info,
            mirrorsLogsToStandardError: Bool? = nil,
            selfTelemetry: Bool? = nil
        ) {
            self.environment = environment
            self.resource = resource
            self.instrumentationName = instrumentationName
            self.bootstrapsTracing = bootstrapsTracing
            self.bootstrapsMetrics = bootstrapsMetrics
            self.bootstrapsLogging = bootstrapsLogging
            self.logLevel = logLevel
            self.mirrorsLogsToStandardError = mirrorsLogsToStandardError
            self.selfTelemetry = selfTelemetry
        }
    }

    /// Builds the three providers, bootstraps the ecosystem APIs with them (see ``Configuration``) and returns the
    /// coordinator that flushes and shuts them down.
    ///
    /// Call it once, first thing in `main`: swift-log, swift-metrics and swift-distributed-tracing accept one
    /// bootstrap per process and stop the process on a second. Nothing here does I/O or can fail: a malformed
    /// variable is reported on the diagnostics logger and its default used.
    public static func bootstrap(_ configuration: Configuration = Configuration()) -> FlushCoordinator {
        let environment = configuration.environment
        let resource = LambdaResourceDetector(environment: environment.values).detect().merging(configuration.resource)
        let traces = TracerProvider.otlp(environment: environment, additionalResource: resource)
        let metrics = MeterProvider.otlp(environment: environment, additionalResource: resource)
        let logs = LoggerProvider.otlp(environment: environment, additionalResource: resource)

        if configuration.bootstrapsTracing {
            InstrumentationSystem.bootstrap(traces.tracer(name: configuration.instrumentationName))
        }
        if configuration.bootstrapsMetrics {
            MetricsSystem.bootstrap(OTelMetricsFactory(meter: metrics.meter(name: configuration.instrumentationName)))
        }
        if configuration.bootstrapsLogging {
            let mirror = configuration.mirrorsLogsToStandardError ?? (environment.values["AWS_LAMBDA_FUNCTION_NAME"] != nil)
            let level = configuration.logLevel
            LoggingSystem.bootstrap { label in
                OTelLogHandler(label: label, provider: logs, logLevel: level, mirrorToStandardError: mirror)
            }
        }
        return FlushCoordinator(
            providers: [traces, metrics, logs], selfTelemetry: configuration.selfTelemetry, diagnostics: environment.diagnostics)
    }
}
