import OTelSDK
import OTelTesting
import Testing

@Suite("Environment and resource", .timeLimit(.minutes(2)))
struct EnvironmentTests {
    @Test("malformed numbers name the variable and the default")
    func malformedNumbers() {
        let capture = LogCapture()
        let environment = OTelEnvironment(["A": "-5", "B": "12x", "C": " 7 "], diagnostics: capture.logger)
        #expect(environment.integer("A", default: 3) == 3)
        #expect(environment.milliseconds("B", default: .seconds(1)) == .seconds(1))
        #expect(environment.integer("C", default: 3) == 7)
        #expect(capture.messages == [
            "A='-5' is not an integer in 0...2147483647; using the default 3",
            "B='12x' is not a non-negative integer number of milliseconds; using the default 1000 ms",
        ])
    }

    @Test("values of *HEADERS variables are never logged")
    func headersAreRedacted() {
        let capture = LogCapture()
        OTelEnvironment([:], diagnostics: capture.logger).warnMalformed("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=secret", expected: "x", defaultDescription: "y")
        #expect(!capture.messages[0].contains("secret"))
    }

    @Test("service.name: OTEL_SERVICE_NAME wins over OTEL_RESOURCE_ATTRIBUTES; telemetry.sdk.* always set")
    func resource() {
        let environment = OTelEnvironment([
            "OTEL_SERVICE_NAME": "checkout",
            "OTEL_RESOURCE_ATTRIBUTES": "service.name=ignored, deployment.environment=prod,team=a%20b",
        ], diagnostics: DiagnosticLogger.disabled)
        let resource = EnvironmentResourceDetector(environment: environment, executableName: "app").detect()
        #expect(resource["service.name"] == .string("checkout"))
        #expect(resource["deployment.environment"] == .string("prod"))
        #expect(resource["team"] == .string("a b"))
        #expect(resource["telemetry.sdk.language"] == .string("swift"))
        #expect(resource["telemetry.sdk.name"] != nil && resource["telemetry.sdk.version"] != nil)
    }

    @Test("a malformed OTEL_RESOURCE_ATTRIBUTES is ignored as a whole, with a warning")
    func malformedResourceAttributes() {
        let capture = LogCapture()
        let environment = OTelEnvironment(["OTEL_RESOURCE_ATTRIBUTES": "a=1,broken,b=%zz"], diagnostics: capture.logger)
        let resource = EnvironmentResourceDetector(environment: environment, executableName: "app").detect()
        #expect(resource["a"] == nil)
        #expect(resource["service.name"] == .string("unknown_service:app"))
        #expect(capture.messages.count == 1 && capture.messages[0].contains("OTEL_RESOURCE_ATTRIBUTES"))
    }
}
