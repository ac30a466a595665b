import Foundation

/// How much slack latency checks get. Under the thread sanitizer (`swift test --sanitize=thread`, which also
/// instruments the executables these tests start) everything runs several times slower, so latency bounds are
/// widened; what must hold exactly (spans lost, violations) is checked the same either way.
enum TimingTolerance {
    static let underThreadSanitizer: Bool = {
        if dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__tsan_init") != nil { return true }
        // The sanitizer's runtime may be linked without exporting its symbols; scripts/test.sh builds it here.
        return CommandLine.arguments.first?.contains(".build-tsan") ?? false
    }()

    /// `milliseconds`, widened fourfold under the thread sanitizer.
    static func bound(_ milliseconds: Double) -> Double {
        underThreadSanitizer ? milliseconds * 4 : milliseconds
    }
}
