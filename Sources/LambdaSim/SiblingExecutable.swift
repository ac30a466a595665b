#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Executables built beside the running one (the build's bin directory): how a benchmark or tool finds the
/// `bootstrap` it runs in the simulator, and its other helpers, without a path argument.
public enum SiblingExecutable {
    /// Thrown when the executable is not next to the running one; `description` says where it looked.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// The path of executable `name` in the running executable's directory.
    ///
    /// - Throws: ``Missing`` when no executable file of that name is there.
    public static func path(_ name: String) throws -> String {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let ownURL = URL(fileURLWithPath: own)
        let candidate = ownURL.deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw Missing(description: "\(name) is not next to \(ownURL.lastPathComponent) (looked for \(candidate)); build it in release mode")
        }
        return candidate
    }
}
