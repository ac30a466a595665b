import Foundation
import LambdaSim
import Testing

/// Helpers shared by the simulator tests: the fake bootstrap, temporary files and a front-door client.
enum SimTestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let fakeBootstrap = fixtures.appendingPathComponent("fake_bootstrap.py").path

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lambda-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// A configuration running the fake bootstrap on an ephemeral port, its output logged to a temporary file.
    static func configuration(_ environment: [String: String] = [:], _ adjust: (inout LambdaSimConfiguration) -> Void = { _ in }) throws -> LambdaSimConfiguration {
        let log = try temporaryDirectory().appendingPathComponent("sandbox.log").path
        var configuration = LambdaSimConfiguration(
            bootstrap: fakeBootstrap, environment: environment, port: 0, functionTimeout: .seconds(10), sandboxLog: .file(log)
        )
        adjust(&configuration)
        return configuration
    }

    /// Runs `body` with a started simulator, and returns the report of its shutdown.
    @discardableResult
    static func withSimulator(
        _ configuration: LambdaSimConfiguration, _ body: (LambdaSimulator) async throws -> Void
    ) async throws -> LambdaSimReport {
        let simulator = try await LambdaSimulator.start(configuration: configuration)
        do {
            try await body(simulator)
        } catch {
            _ = await simulator.shutdown()
            throw error
        }
        return await simulator.shutdown()
    }

    static func json(_ response: LambdaSimResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    /// The `errorType` of a JSON error body.
    static func errorType(_ response: LambdaSimResponse) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["errorType"] as? String
    }

    static func payload(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Runs `python3 -c script arguments…` and returns its standard output, waiting without blocking the pool.
    static func python(_ script: String, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        let exited = AsyncStream<Void> { continuation in
            process.terminationHandler = { _ in continuation.finish() }
        }
        try process.run()
        let data = try await Task.detached { try output.fileHandleForReading.readToEnd() ?? Data() }.value
        for await _ in exited {}
        return String(decoding: data, as: UTF8.self)
    }

    /// POSTs `body` to the front door over HTTP; returns status, lower-cased headers and body.
    static func postToFrontDoor(port: Int, path: String = "/2015-03-31/functions/function/invocations", body: String) async throws
        -> (status: Int, headers: [String: String], body: String)
    {
        let script = """
            import http.client, json, sys
            c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
            c.request("POST", sys.argv[2], body=sys.argv[3].encode())
            r = c.getresponse()
            print(json.dumps({"status": r.status, "headers": {k.lower(): v for k, v in r.getheaders()}, "body": r.read().decode()}))
            """
        let output = try await python(script, [String(port), path, body])
        let object = try #require(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        return (object["status"] as? Int ?? 0, object["headers"] as? [String: String] ?? [:], object["body"] as? String ?? "")
    }
}
