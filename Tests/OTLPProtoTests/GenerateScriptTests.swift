import Foundation
import Testing

@Suite("Proto/generate.sh", .timeLimit(.minutes(2)))
struct GenerateScriptTests {
    /// The package root: this file is <root>/Tests/OTLPProtoTests/GenerateScriptTests.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("Sources/COTLP is what Proto/generate.sh generates (--check exits 0)")
    func noDrift() throws {
        let script = Self.packageRoot.appendingPathComponent("Proto/generate.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path, "--check"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "Proto/generate.sh --check failed:\n\(text)")
    }
}
