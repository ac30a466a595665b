import Foundation

/// Runs an executable to its end without blocking a thread of the cooperative pool: the termination handler resumes
/// the waiting task.
enum ChildProcess {
    /// What the process left: its exit status and its standard output.
    struct Outcome {
        var status: Int32
        var standardOutput: String
    }

    /// Runs `executable` with `arguments`; standard output goes to a temporary file that is read at the end,
    /// standard error is discarded.
    static func run(_ executable: String, _ arguments: [String]) async throws -> Outcome {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return Outcome(status: status, standardOutput: try String(contentsOf: output, encoding: .utf8))
    }
}
