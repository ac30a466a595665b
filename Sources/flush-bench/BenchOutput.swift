#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON a bench writes with `--json`: `{"settings": {…}, "runs": [{"strategy", "rps", "invocations", "p50_ms", …}]}`
/// (`collector-down`: its settings and ``OutageResult``s).
struct BenchOutput<Settings: Encodable, Run: Encodable>: Encodable {
    var settings: Settings
    var runs: [Run]

    /// Writes the JSON (pretty-printed, keys sorted) to `path`, creating the directory if needed.
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(self).write(to: url)
    }
}
