#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where sandbox output lines are written: a file descriptor shared by every sandbox of a simulator.
/// Each line goes out in one `write`, so lines of different sandboxes do not interleave mid-line.
final class LogSink: Sendable {
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    init(_ destination: LambdaSimConfiguration.SandboxLog) throws {
        switch destination {
        case .standardError:
            descriptor = 2
            ownsDescriptor = false
        case .discard:
            descriptor = -1
            ownsDescriptor = false
        case .file(let path):
            let opened = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard opened >= 0 else {
                throw LambdaSimConfiguration.Invalid(description: "sandbox log: cannot open \(path): \(String(cString: strerror(errno)))")
            }
            descriptor = opened
            ownsDescriptor = true
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Writes `[sandbox N] <line>\n`.
    func writeLine(sandbox: Int, line: ArraySlice<UInt8>) {
        guard descriptor >= 0 else { return }
        var bytes = Array("[sandbox \(sandbox)] ".utf8)
        bytes.append(contentsOf: line)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
