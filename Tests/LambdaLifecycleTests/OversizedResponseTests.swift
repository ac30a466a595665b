import NIOCore
import NIOHTTP1
import Testing

@testable import LambdaLifecycle

@Suite("Lambda API responses beyond the payload limit", .timeLimit(.minutes(2)))
struct OversizedResponseTests {
    @Test("an invocation whose payload exceeds the limit gets /error as invalid, unread; the runtime goes on")
    func oversizedInvocationIsReportedAndSkipped() async throws {
        let huge = String(repeating: "x", count: LambdaAPIExchangeHandler.maxBodyBytes + 1)
        let posts = try await HostileRuntimeAPITests.serve([
            .invocation(requestID: "huge", deadline: HostileRuntimeAPITests.farDeadline, payload: huge),
            .invocation(requestID: "good", deadline: HostileRuntimeAPITests.farDeadline, payload: "ping"),
        ])
        #expect(posts.map(\.requestID) == ["huge", "good"])
        let rejected = try #require(posts.first)
        #expect(rejected.body.count < 1_000, "the payload came back")
        #expect(rejected.kind == "error")
        #expect(rejected.errorType == LambdaAPIError.invalidInvocationErrorType)
        let namesTheLimit = rejected.body.contains("exceeds \(LambdaAPIExchangeHandler.maxBodyBytes) bytes")
        #expect(namesTheLimit)
        #expect(posts.last == HostileRuntimeAPI.Post(requestID: "good", kind: "response", errorType: nil, body: "ping"))
    }

    @Test("another call answered with too large a body fails with responseTooLarge naming the call")
    func oversizedAnswerIsANamedError() throws {
        var response = LambdaAPIResponse(status: .ok, headers: [:], body: .init())
        response.discardedBodyLimit = LambdaAPIExchangeHandler.maxBodyBytes
        #expect(throws: LambdaAPIError.responseTooLarge(call: "GET /extension/event/next", limit: LambdaAPIExchangeHandler.maxBodyBytes)) {
            try response.requireSuccess("GET /extension/event/next")
        }
    }
}
