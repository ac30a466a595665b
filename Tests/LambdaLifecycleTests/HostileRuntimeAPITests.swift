import NIOCore
import OTelSDK
import Testing

@testable import LambdaLifecycle

/// The runtime against a Runtime API that misbehaves in every way but the fatal one, then answers 500.
@Suite("The runtime survives a hostile Runtime API", .timeLimit(.minutes(2)))
struct HostileRuntimeAPITests {
    struct Echo: LambdaByteHandler {
        func handle(_ event: ByteBuffer, context: LambdaContext) async throws -> ByteBuffer { event }
    }

    /// Runs a runtime against `script` until the API answers 500 (which must end `run()`); returns what it posted.
    static func serve(_ script: [HostileRuntimeAPI.Reply]) async throws -> [HostileRuntimeAPI.Post] {
        let api = try await HostileRuntimeAPI.start(script: script)
        let runtime = LambdaRuntime(
            configuration: LambdaLifecycleConfiguration(strategy: .runtimeGated, flushDeadline: FlushDeadline(cap: .milliseconds(100), safetyMargin: .zero)),
            telemetry: FlushCoordinator(providers: [], selfTelemetry: false, diagnostics: DiagnosticLogger.disabled),
            handler: Echo(),
            environment: ["AWS_LAMBDA_RUNTIME_API": "127.0.0.1:\(api.port)", "AWS_LAMBDA_FUNCTION_NAME": "hostile"],
            diagnostics: DiagnosticLogger.disabled
        )
        await runtime.run()
        await api.stop()
        return api.posts
    }

    static let farDeadline = String(LambdaClock.epochMilliseconds() + 60_000)

    @Test("garbage, dropped connections, a 4xx and an event without request id are retried; malformed invocations get /error")
    func survivesEverythingButA500() async throws {
        let posts = try await Self.serve([
            .garbage("this is not HTTP\r\n\r\n"),
            .drop,
            .invocation(deadline: Self.farDeadline),  // no request id: nothing to answer, ask again
            .http(status: 403, headers: [], body: #"{"errorType":"InvalidStateTransition","errorMessage":"wrong state"}"#),
            .invocation(requestID: "not-a-number", deadline: "soon"),
            .invocation(requestID: "most-negative", deadline: "-9223372036854775808"),
            .invocation(requestID: "too-big", deadline: "1" + String(repeating: "0", count: 30)),
            .invocation(requestID: "no-deadline"),
            .garbage("HTTP/1.1 200 OK\r\nContent-Length: banana\r\n\r\n"),
            .invocation(requestID: "good", deadline: Self.farDeadline, payload: "ping"),
        ])
        let invalid = ["not-a-number", "most-negative", "too-big", "no-deadline"]
        #expect(posts.map(\.requestID) == invalid + ["good"])
        for post in posts.prefix(invalid.count) {
            #expect(post.kind == "error")
            #expect(post.errorType == LambdaAPIError.invalidInvocationErrorType)
            #expect(post.body.contains(LambdaAPIError.invalidInvocationErrorType))
        }
        #expect(posts.last == HostileRuntimeAPI.Post(requestID: "good", kind: "response", errorType: nil, body: "ping"))
    }

    @Test("a 500 on next ends run() at once, with nothing posted")
    func a500IsFatal() async throws {
        let posts = try await Self.serve([.http(status: 500, headers: [], body: #"{"errorType":"Runtime.Unknown","errorMessage":"container error"}"#)])
        #expect(posts.isEmpty)
    }

    @Test("a 500 answering /response ends run() too: the next invocation is not asked for")
    func a500OnResponseIsFatal() async throws {
        let posts = try await Self.serve([
            .invocation(requestID: HostileRuntimeAPI.fatalPostRequestID, deadline: Self.farDeadline),
            .invocation(requestID: "after", deadline: Self.farDeadline),
        ])
        #expect(posts.map(\.requestID) == [HostileRuntimeAPI.fatalPostRequestID])
    }
}
