import Foundation
import LambdaSim
import OTLPReceiver
import Testing

/// Handler failures reach the caller the way Lambda reports them, and the runtime goes on serving.
@Suite(.timeLimit(.minutes(5))) struct HandlerErrorEndToEndTests {
    @Test func thrownErrorsAndUndecodableEventsAreReportedAndTheLoopGoesOn() async throws {
        let receiver = try await OTLPReceiver.start(configuration: .init(port: 0))
        let simulator = try await LambdaSimulator.start(configuration: LambdaSimConfiguration(
            bootstrap: try Binaries.path("example-entity-api"),
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "EXAMPLE_WORK_MS": "1"],
            port: 0,
            sandboxLog: .file(FileManager.default.temporaryDirectory.appendingPathComponent("e2e-errors-\(UUID().uuidString).log").path)
        ))
        let thrown = await simulator.invoke(payload: Scenario.request(id: "fail"))
        let undecodable = await simulator.invoke(payload: Array("not json".utf8))
        let fine = await simulator.invoke(payload: Scenario.request(id: "7"))
        await simulator.waitUntilIdle()
        let report = await simulator.shutdown()
        try? await receiver.stop()

        #expect(thrown.status == 200)
        #expect(thrown.header("X-Amz-Function-Error") == "Unhandled")
        #expect(Self.errorType(thrown) == "SimulatedFailure")
        #expect(Self.errorType(undecodable) == "Runtime.EventDecodingFailed")
        #expect(fine.status == 200 && fine.header("X-Amz-Function-Error") == nil)
        #expect(fine.bodyText.contains(#"\"id\":\"7\""#) || fine.bodyText.contains(#""id":"7""#))
        #expect(report.summary.errors == 2)
        #expect(report.summary.coldStarts == 1, "one environment served all three: the loop survived the errors")
        // The failed invocations were still traced (one span each, error recorded), the good one fully.
        #expect(receiver.summary.traces.items == 1 + 1 + 5)
    }

    static func errorType(_ response: LambdaSimResponse) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["errorType"] as? String
    }
}
