import Foundation
import LambdaSim
import Testing

/// The Runtime and Extensions APIs answer as the contract doc (§1–2) says. The fake bootstrap's probe mode calls
/// every endpoint wrongly and rightly and records status and errorType of each answer.
@Suite("Runtime and Extensions API conformance", .timeLimit(.minutes(5)))
struct APIConformanceTests {
    private func probes(_ file: String) throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
    }

    @Test("every status code and error type")
    func statusCodesAndErrorTypes() async throws {
        let probeFile = try SimTestSupport.temporaryDirectory().appendingPathComponent("probes.json").path
        try await SimTestSupport.withSimulator(try SimTestSupport.configuration(["FAKE_PROBE_FILE": probeFile])) { simulator in
            let echo = await simulator.invoke(payload: SimTestSupport.payload(#"{"n":1}"#))
            #expect(echo.status == 200)
            #expect(echo.bodyText == #"{"n":1}"#)
            let big = await simulator.invoke(payload: SimTestSupport.payload(#"{"fake":"big"}"#))
            #expect(big.status == 200)
            #expect(big.header("X-Amz-Function-Error") == "Unhandled")
            #expect(SimTestSupport.errorType(big) == "Function.ResponseSizeTooLarge")
            await simulator.waitUntilIdle()
        }
        let probes = try probes(probeFile)
        func expect(_ name: String, _ status: Int, _ errorType: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(probes[name]?["status"] as? Int == status, "\(name): \(probes[name] ?? [:])", sourceLocation: sourceLocation)
            if let errorType {
                #expect(probes[name]?["errorType"] as? String == errorType, "\(name)", sourceLocation: sourceLocation)
            }
        }
        expect("register_empty_name", 403, "Extension.InvalidExtensionName")
        expect("register_shutdown", 403, "Extension.InvalidEventType")
        expect("register_bad_body", 403, "InvalidRequestFormat")
        expect("register_ok", 200)
        #expect(probes["register_ok"]?["functionName"] as? String == "function")
        #expect(probes["register_ok"]?["functionVersion"] as? String == "$LATEST")
        #expect(probes["register_ok"]?["handler"] as? String == "bootstrap")
        expect("register_duplicate", 403, "Extension.InvalidExtensionState")
        expect("register_tenth", 200)
        expect("register_eleventh", 403, "Extension.TooManyExtensions")
        expect("next_unknown_identifier", 403, "Extension.UnknownExtensionIdentifier")
        expect("init_error_missing_header", 403, "Extension.MissingHeader")
        expect("exit_error_missing_header", 403, "Extension.MissingHeader")
        expect("exit_error_unknown_identifier", 403, "Extension.UnknownExtensionIdentifier")
        expect("exit_error_ok", 202)
        expect("unknown_path", 404)
        expect("wrong_method", 404)
        expect("response_before_invoke", 400, "InvalidRequestID")
        expect("register_after_next", 403, "Extension.RegistrationClosed")
        expect("response_unknown_id", 400, "InvalidRequestID")
        expect("init_error_after_next", 403, "InvalidStateTransition")
        expect("response_1", 202)
        #expect(probes["response_1"]?["status"] as? Int == 202)
        expect("second_response_1", 403, "InvalidStateTransition")
        expect("second_error_1", 403, "InvalidStateTransition")
        expect("response_2", 413, "RequestEntityTooLarge")
        expect("second_response_2", 403, "InvalidStateTransition")

        let headers = try #require(probes["next_headers"]?["headers"] as? [String: String])
        #expect(headers["lambda-runtime-aws-request-id"]?.count == 36)
        #expect(headers["lambda-runtime-invoked-function-arn"] == "arn:aws:lambda:us-east-1:123456789012:function:function")
        let deadline = try #require(headers["lambda-runtime-deadline-ms"].flatMap { Int64($0) })
        let now = Int64(Date().timeIntervalSince1970 * 1_000)
        #expect(deadline > now - 60_000 && deadline < now + 60_000)
        let trace = try #require(headers["lambda-runtime-trace-id"])
        // Pass-through (Active tracing off), Lambda's default: unsampled unless a caller sampled.
        #expect(trace.wholeMatch(of: /Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0;Lineage=[0-9a-f]{8}:0/) != nil)
    }

    @Test("the Lambda environment, the caller's trace header, the function error and init error as AWS returns them")
    func environmentTraceAndErrors() async throws {
        let configuration = try SimTestSupport.configuration(["FAKE_CUSTOM": "yes"]) {
            $0.functionName = "orders"
            $0.region = "eu-west-1"
            $0.memoryMB = 256
        }
        try await SimTestSupport.withSimulator(configuration) { simulator in
            let trace = "Root=1-6770a1b2-0123456789abcdef01234567;Parent=1a2b3c4d5e6f7a8b;Sampled=1"
            let described = await simulator.invoke(payload: SimTestSupport.payload(#"{"fake":"describe"}"#), headers: [("X-Amzn-Trace-Id", trace)])
            let body = try SimTestSupport.json(described)
            let environment = try #require(body["env"] as? [String: String])
            #expect(environment["AWS_LAMBDA_FUNCTION_NAME"] == "orders")
            #expect(environment["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST")
            #expect(environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "256")
            #expect(environment["AWS_REGION"] == "eu-west-1")
            #expect(environment["AWS_DEFAULT_REGION"] == "eu-west-1")
            #expect(environment["AWS_LAMBDA_INITIALIZATION_TYPE"] == "on-demand")
            #expect(environment["AWS_EXECUTION_ENV"] == "AWS_Lambda_provided.al2023")
            #expect(environment["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/orders")
            #expect(environment["AWS_LAMBDA_LOG_STREAM_NAME"]?.contains("[$LATEST]") == true)
            #expect(environment["AWS_LAMBDA_RUNTIME_API"]?.hasPrefix("127.0.0.1:") == true)
            #expect(environment["TZ"] == ":UTC")
            #expect(environment["_HANDLER"] == "bootstrap")
            #expect(environment["LAMBDA_TASK_ROOT"] == SimTestSupport.fixtures.path)
            #expect(environment["FAKE_CUSTOM"] == "yes")
            let headers = try #require(body["headers"] as? [String: String])
            #expect(headers["lambda-runtime-trace-id"] == trace)
            #expect(headers["lambda-runtime-invoked-function-arn"] == "arn:aws:lambda:eu-west-1:123456789012:function:orders")
            #expect(body["pgid"] as? Int == body["pid"] as? Int, "the bootstrap leads its own process group")

            let failed = await simulator.invoke(payload: SimTestSupport.payload(#"{"fake":"error"}"#))
            #expect(failed.status == 200)
            #expect(failed.header("X-Amz-Function-Error") == "Unhandled")
            #expect(SimTestSupport.errorType(failed) == "Fake.Failure")
        }

        let initFailure = try SimTestSupport.configuration(["FAKE_INIT_ERROR": "Runtime.ConfigInvalid"])
        let report = try await SimTestSupport.withSimulator(initFailure) { simulator in
            let response = await simulator.invoke(payload: SimTestSupport.payload("{}"))
            #expect(response.status == 200)
            #expect(response.header("X-Amz-Function-Error") == "Unhandled")
            #expect(SimTestSupport.errorType(response) == "Runtime.ConfigInvalid")
        }
        #expect(report.summary.errors == 1)
        #expect(report.sandboxes.first?.endReason == "initError")
    }

    @Test("the HTTP front door answers as AWS's emulator, 404 elsewhere, and POST /shutdown is signalled")
    func frontDoorOverHTTP() async throws {
        try await SimTestSupport.withSimulator(try SimTestSupport.configuration()) { simulator in
            let ok = try await SimTestSupport.postToFrontDoor(port: simulator.port, body: #"{"hello":"world"}"#)
            #expect(ok.status == 200)
            #expect(ok.body == #"{"hello":"world"}"#)
            let failed = try await SimTestSupport.postToFrontDoor(port: simulator.port, body: #"{"fake":"error"}"#)
            #expect(failed.status == 200)
            #expect(failed.headers["x-amz-function-error"] == "Unhandled")
            let missing = try await SimTestSupport.postToFrontDoor(port: simulator.port, path: "/nothing", body: "")
            #expect(missing.status == 404)
            let shutdown = try await SimTestSupport.postToFrontDoor(port: simulator.port, path: "/shutdown", body: "")
            #expect(shutdown.status == 202)
            await simulator.shutdownRequested()
        }
    }
}
