import OTLPProto
import Testing

@testable import OTLPReceiver

@Suite("OTLPReceiver waiting", .timeLimit(.minutes(2)))
struct ReceiverWaitTests {
    @Test("waitForItems returns true once the items arrive")
    func reached() async throws {
        try await withReceiver { receiver in
            async let reached = receiver.waitForItems(.traces, atLeast: 6, timeout: .seconds(30))
            // Whether the waiter registers before or after the items arrive, it sees them.
            try await withConnection(to: receiver) { connection in
                for _ in 0..<3 {
                    let response = try await connection.export(.traces, OTLPPayloads.traces(spansPerResource: 2)).get()
                    #expect(response.status == 200)
                }
            }
            #expect(await reached)
            // Already reached: true at once.
            #expect(await receiver.waitForItems(.traces, atLeast: 6, timeout: .zero))
        }
    }

    @Test("a wait whose timeout fires before it registers still returns true when the items are there")
    func expiredButReached() async {
        let state = ReceiverState(configuration: OTLPReceiver.Configuration())
        let id = state.makeWaiterID()
        state.expire(id: id)  // a timeout of zero can fire before the waiting task registers
        let reached = await withCheckedContinuation { continuation in
            state.register(id: id, predicate: { _ in true }, continuation: continuation)
        }
        #expect(reached)
    }

    @Test("waitForItems returns false at the timeout")
    func timeout() async throws {
        try await withReceiver { receiver in
            let clock = ContinuousClock()
            let start = clock.now
            let reached = await receiver.waitForItems(.metrics, atLeast: 1, timeout: .milliseconds(200))
            #expect(!reached)
            #expect(clock.now - start >= .milliseconds(200))
            #expect(clock.now - start < .seconds(10))
        }
    }

    @Test("a cancelled wait returns false")
    func cancelled() async throws {
        try await withReceiver { receiver in
            let waiter = Task { await receiver.waitForItems(.traces, atLeast: 1, timeout: .seconds(60)) }
            waiter.cancel()
            #expect(await waiter.value == false)
        }
    }

    @Test("stop resumes pending waiters with false")
    func stopResumesWaiters() async throws {
        let receiver = try await OTLPReceiver.start()
        // Registered before or after the stop, the waiter gets false.
        let waiter = Task { await receiver.wait { $0.traces.items >= 1 } }
        try await receiver.stop()
        #expect(await waiter.value == false)
        #expect(await receiver.wait(timeout: .seconds(10)) { $0.traces.items >= 1 } == false)
    }

    @Test("reset zeroes the counters")
    func reset() async throws {
        try await withReceiver { receiver in
            try await withConnection(to: receiver) { connection in
                let first = try await connection.export(.traces, OTLPPayloads.traces(spansPerResource: 2)).get()
                #expect(first.status == 200)
                #expect(receiver.summary.traces.items == 2)
                receiver.reset()
                #expect(receiver.summary == ReceiverSummary())
                let second = try await connection.export(.traces, OTLPPayloads.traces(spansPerResource: 1)).get()
                #expect(second.status == 200)
                #expect(receiver.summary.traces.items == 1)
            }
        }
    }
}
