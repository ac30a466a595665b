import LambdaSim
import Testing

@Suite("lambda-sim retained detail", .timeLimit(.minutes(2)))
struct RetainedDetailTests {
    @Test("past retainedDetail the report keeps the recent detail only, and its summary still counts every invocation")
    func detailIsBoundedAndCountsAreExact() async throws {
        let configuration = try SimTestSupport.configuration(["FAKE_EXTENSIONS": "1", "FAKE_FLUSH_MS": "1"]) {
            $0.retainedDetail = 4
        }
        let report = try await SimTestSupport.withSimulator(configuration) { simulator in
            for index in 1...12 {
                // An error every fourth invocation, and once the runtime exits: the sandbox is replaced.
                let payload = index == 6 ? #"{"fake":"exit"}"# : index % 4 == 0 ? #"{"fake":"error"}"# : #"{"n":\#(index)}"#
                _ = await simulator.invoke(payload: SimTestSupport.payload(payload))
                await simulator.waitUntilIdle()
            }
        }
        #expect(report.summary.invocations == 12)
        #expect(report.summary.ok == 8)
        #expect(report.summary.errors == 4)
        #expect(report.summary.coldStarts == 2)
        #expect(report.summary.sandboxesStarted == 2)
        #expect(report.summary.violations == 0)

        #expect(report.invocations.count == 4)
        #expect(report.omitted.invocations == 8)
        #expect(report.invocations.map(\.status) == [.ok, .ok, .ok, .error])
        #expect(report.flushes.count == 4)
        #expect(report.flushes.count + report.omitted.flushes >= 10, "a flush per invocation, but perhaps not for the one that exited")
        #expect(report.flushes.allSatisfy { $0.end != nil })
        #expect(report.sandboxes.map(\.id) == [1, 2])
    }
}
