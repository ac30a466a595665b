import NIOCore
import NIOHTTP1
import OTelSDK
import Testing

@testable import LambdaLifecycle

/// What the Lambda APIs send, read as the contract describes it.
@Suite(.timeLimit(.minutes(2))) struct WireFormatTests {
    @Test func invocationHeadersAreReadCaseInsensitively() throws {
        let headers = HTTPHeaders([
            ("lambda-runtime-aws-request-id", "0b8e5f1c"),
            ("LAMBDA-RUNTIME-DEADLINE-MS", "1767225603000"),
            ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:111122223333:function:orders:live"),
            ("Lambda-Runtime-Trace-Id", "Root=1-6770a1b2-0123456789abcdef01234567;Parent=1a2b3c4d5e6f7a8b;Sampled=1"),
            ("Lambda-Runtime-Client-Context", ""),
        ])
        let now = ContinuousClock.now
        let wallNow: Int64 = 1_767_225_600_000
        let invocation = try LambdaInvocation(headers: headers, payload: ByteBuffer(string: "{}"), now: now, wallNow: wallNow)
        #expect(invocation.requestID == "0b8e5f1c")
        #expect(invocation.deadlineEpochMilliseconds == 1_767_225_603_000)
        #expect(invocation.deadline == now + .seconds(3))
        #expect(invocation.invokedFunctionARN.hasSuffix(":orders:live"))
        #expect(invocation.traceHeader?.hasPrefix("Root=1-6770a1b2") == true)
        #expect(invocation.clientContext == nil)  // empty means absent
    }

    @Test func invocationWithoutRequestIDOrDeadlineIsMalformed() {
        #expect(throws: LambdaAPIError.self) {
            try LambdaInvocation(headers: HTTPHeaders([("Lambda-Runtime-Deadline-Ms", "1")]), payload: ByteBuffer())
        }
        #expect(throws: LambdaAPIError.self) {
            try LambdaInvocation(headers: HTTPHeaders([("Lambda-Runtime-Aws-Request-Id", "x"), ("Lambda-Runtime-Deadline-Ms", "soon")]), payload: ByteBuffer())
        }
    }

    @Test func invokeEvent() throws {
        let json = #"{"eventType":"INVOKE","deadlineMs":1767225600123,"requestId":"r1","invokedFunctionArn":"arn:x","tracing":{"type":"X-Amzn-Trace-Id","value":"Root=1-2-3"}}"#
        let event = try LambdaJSON.decode(ExtensionEvent.self, from: ByteBuffer(string: json))
        #expect(event == .invoke(requestID: "r1", deadlineEpochMilliseconds: 1_767_225_600_123, invokedFunctionARN: "arn:x", traceHeader: "Root=1-2-3"))
    }

    @Test func invokeEventWithoutTracing() throws {
        let event = try LambdaJSON.decode(ExtensionEvent.self, from: ByteBuffer(string: #"{"eventType":"INVOKE","deadlineMs":5,"requestId":"r1"}"#))
        #expect(event == .invoke(requestID: "r1", deadlineEpochMilliseconds: 5, invokedFunctionARN: nil, traceHeader: nil))
    }

    @Test func shutdownEventAcceptsEitherCaseAndAStringDeadline() throws {
        let lower = try LambdaJSON.decode(ExtensionEvent.self, from: ByteBuffer(string: #"{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":7}"#))
        #expect(lower == .shutdown(reason: .spindown, deadlineEpochMilliseconds: 7))
        let upper = try LambdaJSON.decode(ExtensionEvent.self, from: ByteBuffer(string: #"{"eventType":"SHUTDOWN","shutdownReason":"TIMEOUT","deadlineMs":"8"}"#))
        #expect(upper == .shutdown(reason: .timeout, deadlineEpochMilliseconds: 8))
    }

    @Test func unknownEventTypeIsAnError() {
        #expect(throws: (any Error).self) {
            try LambdaJSON.decode(ExtensionEvent.self, from: ByteBuffer(string: #"{"eventType":"RESTORE"}"#))
        }
    }

    @Test func endpointMustBeHostAndPort() throws {
        let endpoint = try LambdaEndpoint.parse("127.0.0.1:9001")
        #expect(endpoint.host == "127.0.0.1" && endpoint.port == 9001)
        for bad in ["", "127.0.0.1", ":9001", "http://x", "host:0", "host:99999"] {
            #expect(throws: LambdaAPIError.invalidEndpoint(bad)) { try LambdaEndpoint.parse(bad) }
        }
    }

    @Test func flushEventLinesAreJSONSafe() {
        #expect(FlushEventLog.escaped(#"a"b\c"#) == #"a\"b\\c"#)
        #expect(FlushEventLog.escaped("x\ny") == "x\\u000ay")
    }
}
