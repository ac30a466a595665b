import OTelSDK
import Testing

@testable import LambdaLifecycle

@Suite(.timeLimit(.minutes(2))) struct TelemetryTests {
    @Test func accountIDComesFromTheARN() {
        #expect(InvocationTracing.accountID(arn: "arn:aws:lambda:eu-west-1:111122223333:function:orders:live") == "111122223333")
        #expect(InvocationTracing.accountID(arn: "not-an-arn") == nil)
    }

    @Test func lambdaResource() {
        let resource = LambdaResourceDetector(environment: [
            "AWS_LAMBDA_FUNCTION_NAME": "orders", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_REGION": "eu-west-1",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512", "AWS_LAMBDA_LOG_STREAM_NAME": "2026/11/27/[$LATEST]abc",
            "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/orders",
        ]).detect()
        #expect(resource["cloud.provider"] == .string("aws"))
        #expect(resource["cloud.platform"] == .string("aws_lambda"))
        #expect(resource["cloud.region"] == .string("eu-west-1"))
        #expect(resource["faas.name"] == .string("orders"))
        #expect(resource["faas.version"] == .string("$LATEST"))
        #expect(resource["faas.instance"] == .string("2026/11/27/[$LATEST]abc"))
        #expect(resource["faas.max_memory"] == .int(536_870_912))
        #expect(resource["aws.log.group.names"] == .stringArray(["/aws/lambda/orders"]))
        #expect(resource["service.name"] == .string("orders"))
    }

    @Test func serviceNameFromOTelVariablesIsLeftAlone() {
        #expect(LambdaResourceDetector(environment: ["AWS_LAMBDA_FUNCTION_NAME": "f", "OTEL_SERVICE_NAME": "s"]).detect()["service.name"] == nil)
        #expect(LambdaResourceDetector(environment: ["AWS_LAMBDA_FUNCTION_NAME": "f", "OTEL_RESOURCE_ATTRIBUTES": "a=b, service.name=s"]).detect()["service.name"] == nil)
        #expect(LambdaResourceDetector(environment: [:]).detect().attributes.isEmpty)
    }

    @Test func malformedResourceAttributesNameNoService() {
        // The SDK ignores a malformed OTEL_RESOURCE_ATTRIBUTES as a whole, so the function name must stand in.
        let resource = LambdaResourceDetector(environment: ["AWS_LAMBDA_FUNCTION_NAME": "f", "OTEL_RESOURCE_ATTRIBUTES": "service.name=s,broken"]).detect()
        #expect(resource["service.name"] == .string("f"))
    }
}
