#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One JSON line on stderr at each drain's start and end, for log readers and for the `lambda-sim` emulator, which
/// checks from the sandbox's own output that Lambda never freezes it mid-flush:
///
/// ```
/// {"event":"otel.lambda.flush.start","requestId":"8f0c…"}
/// {"event":"otel.lambda.flush.end","requestId":"8f0c…","outcome":"ok","durationMs":12.4,"exported":12,"pending":0,"dropped":0}
/// ```
///
/// `requestId` is `shutdown` for the final flush on SIGTERM. Each line is one `write(2)` to file descriptor 2, so
/// lines from concurrent drains never interleave, and the line is in the pipe before the lifecycle calls `next`.
struct FlushEventLog: Sendable {
    let isEnabled: Bool

    func started(_ requestID: String) {
        guard isEnabled else { return }
        emit(#"{"event":"otel.lambda.flush.start","requestId":"\#(Self.escaped(requestID))"}"#)
    }

    func finished(_ requestID: String, outcome: String, duration: Duration, exported: Int, pending: Int, dropped: Int) {
        guard isEnabled else { return }
        emit(Self.endLine(requestID, outcome: outcome, duration: duration, exported: exported, pending: pending, dropped: dropped))
    }

    /// The `otel.lambda.flush.end` line, without its newline.
    static func endLine(_ requestID: String, outcome: String, duration: Duration, exported: Int, pending: Int, dropped: Int) -> String {
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        let rounded = (milliseconds * 10).rounded() / 10
        return #"{"event":"otel.lambda.flush.end","requestId":"\#(escaped(requestID))","outcome":"\#(escaped(outcome))","durationMs":\#(rounded),"exported":\#(exported),"pending":\#(pending),"dropped":\#(dropped)}"#
    }

    private func emit(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// JSON string escaping for what a request id or an outcome (which may quote a collector's message) can contain:
    /// quotes, backslashes, control characters.
    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20: result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
