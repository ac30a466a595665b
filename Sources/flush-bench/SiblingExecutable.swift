#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The package's other executables, found in the directory of the running `flush-bench` (the build's bin directory).
enum SiblingExecutable {
    /// Thrown when the executable is not next to `flush-bench`.
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The path of executable `name` next to this one.
    static func path(_ name: String) throws -> String {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let candidate = URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw Missing(description: "\(name) is not next to flush-bench (looked for \(candidate)); build it: swift build -c release")
        }
        return candidate
    }
}
