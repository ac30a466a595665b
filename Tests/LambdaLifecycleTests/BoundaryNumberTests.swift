import Foundation
import NIOCore
import NIOHTTP1
import OTelSDK
import PropertyBased
import Testing

@testable import LambdaLifecycle

/// Every number that crosses the Runtime API, the Extensions API and the environment: parsed with checked
/// arithmetic, never a trap; a value that cannot be used is rejected with a named error.
@Suite("Numbers at the Lambda boundaries", .timeLimit(.minutes(2)))
struct BoundaryNumberTests {
    static func invocationHeaders(requestID: String = "r1", deadline: String) -> HTTPHeaders {
        HTTPHeaders([("Lambda-Runtime-Aws-Request-Id", requestID), ("Lambda-Runtime-Deadline-Ms", deadline)])
    }

    @Test("an unusable Lambda-Runtime-Deadline-Ms is a malformed invocation that keeps its request id")
    func extremeDeadlineHeaders() {
        for deadline in ["soon", "-9223372036854775808", "-1", "1" + String(repeating: "0", count: 30), "+5", " 5"] {
            #expect(throws: LambdaAPIError.malformedInvocation(
                requestID: "r1", reason: "Lambda-Runtime-Deadline-Ms '\(deadline)' is not a non-negative integer of milliseconds")
            ) {
                try LambdaInvocation(headers: Self.invocationHeaders(deadline: deadline), payload: ByteBuffer())
            }
        }
        #expect(throws: LambdaAPIError.malformedInvocation(requestID: "r1", reason: "no Lambda-Runtime-Deadline-Ms header")) {
            try LambdaInvocation(headers: HTTPHeaders([("Lambda-Runtime-Aws-Request-Id", "r1")]), payload: ByteBuffer())
        }
    }

    @Test("the largest deadline and the farthest wall clock convert to an instant without overflow")
    func clockConversionNeverOverflows() {
        let now = ContinuousClock.now
        #expect(LambdaClock.instant(epochMilliseconds: .max, now: now, wallNow: .min) == now + .milliseconds(Int64.max) * 2 + .milliseconds(1))
        #expect(LambdaClock.instant(epochMilliseconds: 0, now: now, wallNow: .max) == now - .milliseconds(Int64.max))
        let invocation = try? LambdaInvocation(
            headers: Self.invocationHeaders(deadline: "9223372036854775807"), payload: ByteBuffer(), now: now, wallNow: 1_767_225_600_000)
        #expect(invocation?.deadline == now + .milliseconds(Int64.max - 1_767_225_600_000))
    }

    @Test("the extension's deadlineMs: a fraction, 1e30, a negative number or a bad string is an error, not a trap")
    func extremeExtensionDeadlines() throws {
        for deadline in ["1e30", "1.5", "-1", "9.3e18", #""soon""#, #""-5""#, "true", "{}"] {
            #expect(throws: DecodingError.self) {
                try LambdaJSON.decode(ExtensionEvent.self, from: ByteBuffer(string: #"{"eventType":"INVOKE","deadlineMs":\#(deadline),"requestId":"r"}"#))
            }
        }
        let whole = try LambdaJSON.decode(ExtensionEvent.self, from: ByteBuffer(string: #"{"eventType":"INVOKE","deadlineMs":1.7672256e12,"requestId":"r"}"#))
        #expect(whole == .invoke(requestID: "r", deadlineEpochMilliseconds: 1_767_225_600_000, invokedFunctionARN: nil, traceHeader: nil))
        let shutdown = try LambdaJSON.decode(ExtensionEvent.self, from: ByteBuffer(string: #"{"eventType":"SHUTDOWN","shutdownReason":"failure"}"#))
        #expect(shutdown == .shutdown(reason: .failure, deadlineEpochMilliseconds: nil))
    }

    @Test("AWS_LAMBDA_FUNCTION_MEMORY_SIZE: bytes when it fits, left out when it does not or is not positive")
    func memorySizeNeverOverflows() {
        func maxMemory(_ value: String) -> AttributeValue? {
            LambdaResourceDetector(environment: ["AWS_LAMBDA_FUNCTION_NAME": "f", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": value]).detect()["faas.max_memory"]
        }
        #expect(maxMemory("128") == .int(134_217_728))
        for value in ["9223372036854775807", "8796093022208", "0", "-128", "lots"] {
            #expect(maxMemory(value) == nil)
        }
    }

    @Test("a flush outcome quoting a collector's message still makes one valid JSON line")
    func flushEndLineEscapesTheOutcome() throws {
        let outcome = "failed(HTTP 400: \"bad\"\nrequest)"
        let line = FlushEventLog.endLine("r1", outcome: outcome, duration: .milliseconds(12), exported: 1, pending: 0, dropped: 0)
        #expect(!line.contains("\n"))
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["outcome"] as? String == outcome)
    }

    @Test("retrying next: the back-off doubles up to its cap, then gives up")
    func nextRetryIsBounded() {
        let retry = RuntimeNextRetry(initialDelay: .milliseconds(10), maxDelay: .milliseconds(50), maxConsecutiveFailures: 5)
        #expect((1...5).map { retry.delay(afterFailures: $0) } == [.milliseconds(10), .milliseconds(20), .milliseconds(40), .milliseconds(50), nil])
    }

    // MARK: Properties

    @Test("property: any Lambda-Runtime-Deadline-Ms gives an invocation or a malformedInvocation, never a trap")
    func deadlineHeaderProperty() async {
        await propertyCheck(count: 500, input: HostileText.numbers) { text in
            do {
                let invocation = try LambdaInvocation(headers: Self.invocationHeaders(deadline: text), payload: ByteBuffer(), wallNow: .max)
                #expect(text.utf8.allSatisfy { (48...57).contains($0) } && Int64(text) == invocation.deadlineEpochMilliseconds)
            } catch LambdaAPIError.malformedInvocation(let requestID, _) {
                #expect(requestID == "r1")
                #expect(!(text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber) && Int64(text) != nil))
            } catch {
                Issue.record("unexpected error \(error) for \(text)")
            }
        }
    }

    @Test("property: epoch milliseconds round-trip through the header")
    func deadlineRoundTrips() async {
        await propertyCheck(count: 500, input: Gen.int64(in: 0...Int64.max)) { milliseconds in
            let invocation = try LambdaInvocation(headers: Self.invocationHeaders(deadline: String(milliseconds)), payload: ByteBuffer(), wallNow: .min)
            #expect(invocation.deadlineEpochMilliseconds == milliseconds)
        }
    }

    @Test("property: any deadlineMs in the extension's INVOKE decodes or fails with a DecodingError")
    func extensionEventProperty() async {
        let values = Gen<String>.oneOf(
            HostileText.numbers.eraseToAny(),
            HostileText.numbers.map { #""\#($0)""# }.eraseToAny(),
            Gen.int64().map { "\($0).5" }.eraseToAny(),
            Gen.double(in: -1e300...1e300).map { "\($0)" }.eraseToAny()
        )
        await propertyCheck(count: 500, input: values) { value in
            let json = #"{"eventType":"INVOKE","deadlineMs":\#(value),"requestId":"r"}"#
            do {
                guard case .invoke(_, let milliseconds, _, _) = try LambdaJSON.decode(ExtensionEvent.self, from: ByteBuffer(string: json)) else {
                    Issue.record("not an INVOKE")
                    return
                }
                #expect(milliseconds >= 0)
            } catch is DecodingError {
            } catch {
                Issue.record("unexpected error \(error) for \(value)")
            }
        }
    }

    @Test("property: any memory size gives a non-negative byte count or none")
    func memorySizeProperty() async {
        await propertyCheck(count: 300, input: HostileText.numbers) { text in
            let value = LambdaResourceDetector(environment: ["AWS_LAMBDA_FUNCTION_NAME": "f", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": text])
                .detect()["faas.max_memory"]
            if case .int(let bytes) = value {
                #expect(bytes > 0 && bytes % 1_048_576 == 0)
            } else {
                #expect(value == nil)
            }
        }
    }
}
