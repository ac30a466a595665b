import Foundation
import LambdaSim
import Testing

/// AWS's own Python runtime interface client (PyPI `awslambdaric`) runs against the simulator's Runtime API.
@Suite("AWS Python runtime interface client", .timeLimit(.minutes(5)))
struct AWSRuntimeInterfaceClientTests {
    private static let available: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import awslambdaric"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()  // once, at suite set-up, a few hundred ms
        return process.terminationStatus == 0
    }()

    @Test("success and a raised exception", .enabled(if: available, "python3 has no awslambdaric: run bash scripts/setup.sh and put .venv/bin first on PATH"))
    func invocations() async throws {
        let python = try await SimTestSupport.python("import sys; print(sys.executable)", []).trimmingCharacters(in: .whitespacesAndNewlines)
        let configuration = try SimTestSupport.configuration(["PYTHONPATH": SimTestSupport.fixtures.path]) {
            $0.bootstrap = python
            $0.bootstrapArguments = ["-m", "awslambdaric", "ric_handler.handler"]
            $0.handler = "ric_handler.handler"
        }
        let report = try await SimTestSupport.withSimulator(configuration) { simulator in
            let ok = await simulator.invoke(payload: SimTestSupport.payload(#"{"name":"lambda"}"#))
            #expect(ok.status == 200)
            #expect(try SimTestSupport.json(ok)["greeting"] as? String == "hello lambda")
            let again = await simulator.invoke(payload: SimTestSupport.payload(#"{"name":"again"}"#))
            #expect(try SimTestSupport.json(again)["greeting"] as? String == "hello again")
            let failed = await simulator.invoke(payload: SimTestSupport.payload(#"{"fail":true}"#))
            #expect(failed.status == 200)
            #expect(failed.header("X-Amz-Function-Error") == "Unhandled")
            let error = try SimTestSupport.json(failed)
            #expect(error["errorType"] as? String == "ValueError")
            #expect(error["errorMessage"] as? String == "asked to fail")
        }
        #expect(report.summary.ok == 2)
        #expect(report.summary.errors == 1)
        #expect(report.summary.coldStarts == 1)
    }
}
