import OTelSDK
import OTelTesting
import Testing

@testable import OTLPHTTP

/// ``OTLPTelemetry/bootstrap(_:)`` with the ecosystem bootstraps off (they allow one per process); the end-to-end
/// suite runs the example function, whose `main` bootstraps all three.
@Suite("OTLPTelemetry.bootstrap", .timeLimit(.minutes(2)))
struct OTLPTelemetryTests {
    private static func configuration(_ variables: [String: String], resource: Resource = .empty) -> OTLPTelemetry.Configuration {
        OTLPTelemetry.Configuration(
            environment: OTelEnvironment(variables, diagnostics: DiagnosticLogger.disabled), resource: resource,
            bootstrapsTracing: false, bootstrapsMetrics: false, bootstrapsLogging: false, selfTelemetry: false)
    }

    @Test("three providers; in Lambda the function's resource, under the variables' and the configuration's")
    func providersAndResource() async throws {
        let telemetry = OTLPTelemetry.bootstrap(Self.configuration(
            ["AWS_LAMBDA_FUNCTION_NAME": "orders", "AWS_REGION": "eu-west-1", "OTEL_RESOURCE_ATTRIBUTES": "team=payments,cloud.region=overridden"],
            resource: Resource(attributes: [Attribute("service.version", .string("1.2.3")), Attribute("team", .string("checkout"))])))
        #expect(telemetry.providers.map(\.name) == ["traces", "metrics", "logs"])
        let traces = try #require(telemetry.providers.first as? TracerProvider)
        let attributes = Dictionary(uniqueKeysWithValues: traces.resource.attributes.map { ($0.key, $0.value) })
        #expect(attributes["faas.name"] == .string("orders") && attributes["cloud.platform"] == .string("aws_lambda"))
        #expect(attributes["service.name"] == .string("orders"), "the function names the service unless OTEL_SERVICE_NAME does")
        #expect(attributes["cloud.region"] == .string("eu-west-1"), "Lambda's variables win over OTEL_RESOURCE_ATTRIBUTES")
        #expect(attributes["service.version"] == .string("1.2.3") && attributes["team"] == .string("checkout"), "the configuration wins")
        _ = await telemetry.shutdown(deadline: .now + .seconds(2))
    }

    @Test("outside Lambda: no Lambda attributes; OTEL_SDK_DISABLED gives providers that record nothing")
    func outsideLambdaAndDisabled() async throws {
        let plain = OTLPTelemetry.bootstrap(Self.configuration(["OTEL_SERVICE_NAME": "worker"]))
        let traces = try #require(plain.providers.first as? TracerProvider)
        #expect(!traces.resource.attributes.contains { $0.key.hasPrefix("faas.") })
        #expect(traces.resource.attributes.contains { $0.key == "service.name" && $0.value == .string("worker") })
        _ = await plain.shutdown(deadline: .now + .seconds(2))

        let disabled = OTLPTelemetry.bootstrap(Self.configuration(["OTEL_SDK_DISABLED": "true"]))
        let tracer = try #require(disabled.providers.first as? TracerProvider).tracer()
        #expect(!tracer.startSpan("ignored").isRecording)
        #expect(await disabled.forceFlush(deadline: .now + .seconds(2)).isComplete)
    }
}
