import NIOCore
import NIOPosix
import Testing

@testable import LambdaSim

/// The invocation queue on its own: pending order, and the report's window of invocations.
@Suite("lambda-sim invocation queue", .timeLimit(.minutes(2)))
struct InvocationQueueTests {
    private static func invocation(_ id: String) -> Invocation {
        Invocation(
            requestID: id, payload: ByteBuffer(), traceHeader: "", answer: MultiThreadedEventLoopGroup.singleton.next().makePromise(),
            timeline: InvocationTimeline(requestId: id, status: .ok, coldStart: false, receivedMs: 0, receivedEpochMs: 0)
        )
    }

    private static let ok = LambdaSimResponse(status: 200, headers: [], body: [])

    @Test("pending invocations are taken in arrival order, and taking them all leaves none")
    func pendingIsFirstInFirstOut() {
        var queue = InvocationQueue(retainedDetail: 10)
        let invocations = ["a", "b", "c"].map(Self.invocation)
        for invocation in invocations { queue.enqueue(invocation, isOver: \.answered) }
        #expect(queue.takeNext()?.requestID == "a")
        #expect(queue.takeAllPending().map(\.requestID) == ["b", "c"])
        #expect(!queue.hasPending)
        #expect(queue.takeNext() == nil)
        #expect(queue.timelines.map(\.requestId) == ["a", "b", "c"], "taking does not leave the window")
        for invocation in invocations { invocation.answerCaller(Self.ok, atMs: 1) }
    }

    @Test("beyond retainedDetail an invocation leaves the window, counted, only once it is over")
    func windowKeepsWhatIsNotOver() {
        var queue = InvocationQueue(retainedDetail: 2)
        let invocations = ["a", "b", "c", "d"].map(Self.invocation)
        invocations[1].answerCaller(Self.ok, atMs: 1)
        for invocation in invocations[0...2] { queue.enqueue(invocation, isOver: \.answered) }
        // "a", the oldest, is not over: it stays, and so does everything after it.
        #expect(queue.timelines.map(\.requestId) == ["a", "b", "c"])
        #expect(queue.retiredTally.invocations == 0)

        invocations[0].answerCaller(Self.ok, atMs: 1)
        queue.enqueue(invocations[3], isOver: \.answered)
        #expect(queue.timelines.map(\.requestId) == ["c", "d"])
        #expect(queue.retiredTally.invocations == 2)
        #expect(queue.retiredTally.ok == 2)
        for invocation in invocations[2...3] { invocation.answerCaller(Self.ok, atMs: 1) }
    }
}
