@testable import OTelSDK
import Testing

/// The metric reader's export gate: one holder at a time, waiters that give up at their deadline or when cancelled.
@Suite("Export gate", .timeLimit(.minutes(2)))
struct ExportGateTests {
    @Test("a waiter whose task is cancelled gives up at once, without waiting for its deadline or taking the gate")
    func cancelledWaiterGivesUp() async {
        let gate = ExportGate()
        #expect(await gate.acquire(deadline: .now + .seconds(1)))
        let deadline = ContinuousClock.now + .seconds(30)
        let waiter = Task { await gate.acquire(deadline: deadline) }
        waiter.cancel()
        #expect(await waiter.value == false)
        // Given up at the cancellation, not at the deadline.
        #expect(ContinuousClock.now < deadline)
        gate.release()
        // Free again: the cancelled waiter was not handed the gate.
        #expect(await gate.acquire(deadline: .now))
        gate.release()
    }

    @Test("a waiter whose deadline passes first gets false; the next one in line gets the gate on release")
    func deadlineAndHandOver() async {
        let gate = ExportGate()
        #expect(await gate.acquire(deadline: .now + .seconds(1)))
        #expect(await gate.acquire(deadline: .now + .milliseconds(10)) == false)
        async let next = gate.acquire(deadline: .now + .seconds(60))
        gate.release()
        #expect(await next)
        gate.release()
    }
}
