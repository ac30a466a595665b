import Foundation
import Testing

/// The package's executables, built next to the test bundle (`swift build --build-tests` builds them: this target
/// depends on them).
enum Binaries {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func path(_ name: String) throws -> String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent(name).path }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Missing(description: "\(name) not found next to the test bundle (looked at \(candidates)); run `swift build --build-tests` first")
        }
        return found
    }
}
