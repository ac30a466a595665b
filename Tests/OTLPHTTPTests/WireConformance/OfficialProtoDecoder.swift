import Foundation

/// Decodes OTLP trace (or log) bytes with the official protobuf definitions, by running
/// `Tests/Conformance/decode_to_json.py` (PyPI `opentelemetry-proto`), and returns its JSON.
///
/// Missing `python3` or `opentelemetry-proto` is an error, not a reason to skip: CI installs both
/// with `scripts/setup.sh`.
enum OfficialProtoDecoder {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let setupHint = "run `bash scripts/setup.sh` (it installs opentelemetry-proto into the project's .venv) and put .venv/bin first on PATH, as scripts/test.sh does"

    /// `Tests/Conformance/decode_to_json.py`, found from this file's path.
    static let script: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // WireConformance
        .deletingLastPathComponent()  // OTLPHTTPTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Conformance/decode_to_json.py")

    // decode_to_json.py's exit statuses.
    private static let exitRejected: Int32 = 1
    private static let exitMissingPackages: Int32 = 3
    /// What `env` exits with when it cannot find the program.
    private static let exitCommandNotFound: Int32 = 127

    /// The canonical JSON of the `ExportTraceServiceRequest` (or, for `signal` `logs`, the
    /// `ExportLogsServiceRequest`) in `bytes`.
    static func decode(_ bytes: [UInt8], signal: String = "traces") async throws -> JSONValue {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("otlp-wire-conformance-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("request.pb")
        try Data(bytes).write(to: input)

        let (status, stdout, stderr) = try await run(["python3", script.path, "--signal", signal, input.path], outputIn: directory)
        let diagnostics = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch status {
        case 0:
            do {
                return try JSONValue(parsing: [UInt8](stdout))
            } catch {
                throw Failure(description: "decode_to_json.py printed output that is not JSON (\(error)): "
                    + String(decoding: stdout.prefix(500), as: UTF8.self))
            }
        case exitCommandNotFound:
            throw Failure(description: "python3 is not installed (\(diagnostics)); \(setupHint)")
        case exitMissingPackages:
            // The script's message names the missing module and says to run setup.sh.
            throw Failure(description: diagnostics.isEmpty ? "opentelemetry-proto is missing; \(setupHint)" : diagnostics)
        case exitRejected:
            throw Failure(description: "the official definitions reject the encoder's bytes: \(diagnostics)")
        default:
            throw Failure(description: "decode_to_json.py exited with status \(status): \(diagnostics)")
        }
    }

    /// Runs `arguments` through `/usr/bin/env`; stdout and stderr go to files, so a large output
    /// cannot fill a pipe and block the child.
    private static func run(_ arguments: [String], outputIn directory: URL) async throws -> (Int32, Data, Data) {
        let stdoutURL = directory.appendingPathComponent("stdout")
        let stderrURL = directory.appendingPathComponent("stderr")
        for url in [stdoutURL, stderrURL] {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw Failure(description: "cannot create \(url.path)")
            }
        }
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdout.close()
            try? stderr.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        // Wait without blocking a thread of the cooperative pool (only two on a 2-core machine):
        // timing-sensitive tests run beside this one.
        let exited = AsyncStream<Void> { continuation in
            process.terminationHandler = { _ in continuation.finish() }
        }
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start python3 (\(error)); \(setupHint)")
        }
        for await _ in exited {}
        guard process.terminationReason == .exit else {
            let command = arguments.joined(separator: " ")
            throw Failure(description: "\(command) was killed by signal \(process.terminationStatus)")
        }
        return (process.terminationStatus, try Data(contentsOf: stdoutURL), try Data(contentsOf: stderrURL))
    }
}
