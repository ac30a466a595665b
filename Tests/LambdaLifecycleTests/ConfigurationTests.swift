import OTelSDK
import OTelTesting
import Testing

@testable import LambdaLifecycle

@Suite(.timeLimit(.minutes(2))) struct ConfigurationTests {
    @Test func defaults() {
        let configuration = LambdaLifecycleConfiguration(environment: OTelEnvironment([:]))
        #expect(configuration.strategy == .extensionGated)
        #expect(configuration.flushDeadline == FlushDeadline(cap: .seconds(10), safetyMargin: .milliseconds(200)))
        #expect(configuration.logsFlushEvents == false)
        #expect(configuration.strategyOverride == nil)
    }

    @Test func readsEveryVariable() {
        let configuration = LambdaLifecycleConfiguration(environment: OTelEnvironment([
            "OTEL_LAMBDA_FLUSH_STRATEGY": " Runtime-Gated ",
            "OTEL_INSTRUMENTATION_AWS_LAMBDA_FLUSH_TIMEOUT": "1500",
            "OTEL_LAMBDA_FLUSH_SAFETY_MARGIN": "50",
            "OTEL_LAMBDA_LOG_FLUSH_EVENTS": "true",
        ]))
        #expect(configuration.strategy == .runtimeGated)
        #expect(configuration.flushDeadline == FlushDeadline(cap: .milliseconds(1500), safetyMargin: .milliseconds(50)))
        #expect(configuration.logsFlushEvents)
    }

    @Test func malformedValuesAreReportedByNameAndDefaultsKept() {
        let capture = LogCapture()
        let configuration = LambdaLifecycleConfiguration(environment: OTelEnvironment([
            "OTEL_LAMBDA_FLUSH_STRATEGY": "eventually",
            "OTEL_INSTRUMENTATION_AWS_LAMBDA_FLUSH_TIMEOUT": "10s",
        ], diagnostics: capture.logger))
        #expect(configuration.strategy == .extensionGated)
        #expect(configuration.flushDeadline.cap == .seconds(10))
        let messages = capture.messages
        #expect(messages.contains { $0.contains("OTEL_LAMBDA_FLUSH_STRATEGY='eventually'") && $0.contains("extension-gated") })
        #expect(messages.contains { $0.contains("OTEL_INSTRUMENTATION_AWS_LAMBDA_FLUSH_TIMEOUT='10s'") })
    }

    @Test func managedInstancesForcePeriodicAndSaySo() {
        let configuration = LambdaLifecycleConfiguration(environment: OTelEnvironment([
            "AWS_LAMBDA_INITIALIZATION_TYPE": "lambda-managed-instances",
        ]))
        #expect(configuration.strategy == .periodic)
        #expect(configuration.strategyOverride?.contains("Managed Instances") == true)
    }

    @Test func earlyNextIsNotAnEnvironmentValue() {
        #expect(FlushStrategy(environmentValue: "early-next") == nil)
        #expect(FlushStrategy(environmentValue: "naive") == nil)
    }
}
