import NIOCore

/// One invocation from the moment a caller sends it until its invoke phase ends. Lives on the simulator's loop.
final class Invocation {
    let requestID: String
    /// The caller's payload, until it is delivered (then released).
    var payload: ByteBuffer
    let traceHeader: String
    private let answer: EventLoopPromise<LambdaSimResponse>
    private(set) var answered = false
    var timeline: InvocationTimeline
    var deadlineEpochMs: Int64 = 0
    /// The runtime posted `/response` or `/error` (or a response too large).
    var responded = false
    /// Identifiers of the INVOKE-registered extensions that have not called `next` again in this invoke phase.
    var extensionsPending: Set<String> = []
    /// Identifiers of the INVOKE-registered extensions that had no `next` pending when the event was delivered; they
    /// get the event at their next `next`.
    var extensionsOwedEvent: Set<String> = []
    var gatewayTimer: Scheduled<Void>?
    var functionTimer: Scheduled<Void>?

    init(requestID: String, payload: ByteBuffer, traceHeader: String, answer: EventLoopPromise<LambdaSimResponse>, timeline: InvocationTimeline) {
        self.requestID = requestID
        self.payload = payload
        self.traceHeader = traceHeader
        self.answer = answer
        self.timeline = timeline
    }

    /// Answers the caller, once: later calls do nothing. Records when and with what.
    func answerCaller(_ response: LambdaSimResponse, atMs: Double) {
        guard !answered else { return }
        answered = true
        gatewayTimer?.cancel()
        timeline.callerAnsweredMs = atMs
        timeline.callerLatencyMs = ((atMs - timeline.receivedMs) * 1_000).rounded() / 1_000
        timeline.callerStatus = response.status
        answer.succeed(response)
    }

    /// Answers the caller with a function error (HTTP 200, `X-Amz-Function-Error: Unhandled`), as Lambda does.
    func answerWithFunctionError(body: [UInt8], errorType: String?, atMs: Double) {
        guard !answered else { return }
        timeline.errorType = errorType
        answerCaller(
            LambdaSimResponse(
                status: 200,
                headers: [("Content-Type", "application/json"), ("X-Amz-Function-Error", "Unhandled")],
                body: body
            ),
            atMs: atMs
        )
    }
}
