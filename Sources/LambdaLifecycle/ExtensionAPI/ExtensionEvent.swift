#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An event from `GET /extension/event/next`.
public enum ExtensionEvent: Sendable, Equatable {
    /// An invocation started; the extension does not get its payload.
    case invoke(requestID: String, deadlineEpochMilliseconds: Int64, invokedFunctionARN: String?, traceHeader: String?)
    /// The environment shuts down (external extensions only; internal ones get SIGTERM instead).
    case shutdown(reason: ShutdownReason, deadlineEpochMilliseconds: Int64?)

    /// Why the environment shuts down. Production and the emulators disagree on case; parsed case-insensitively.
    public enum ShutdownReason: Sendable, Equatable {
        case spindown, timeout, failure
        case other(String)

        init(_ text: String) {
            switch text.lowercased() {
            case "spindown": self = .spindown
            case "timeout": self = .timeout
            case "failure": self = .failure
            default: self = .other(text)
            }
        }
    }
}

extension ExtensionEvent: Decodable {
    private enum CodingKeys: String, CodingKey {
        case eventType, requestId, deadlineMs, invokedFunctionArn, tracing, shutdownReason
    }

    private struct Tracing: Decodable {
        var value: String?
    }

    /// `deadlineMs` is a JSON number (RIE, AWS's Rust client); the docs' shutdown example shows a string, so a numeric
    /// string is accepted too. Nil when absent; an error when present but not a non-negative whole number of
    /// milliseconds that fits in an `Int64` (a fraction, `1e30`, `-1`, a non-numeric string).
    private static func deadline(_ container: KeyedDecodingContainer<CodingKeys>) throws -> Int64? {
        guard container.contains(.deadlineMs), try !container.decodeNil(forKey: .deadlineMs) else { return nil }
        let milliseconds: Int64?
        if let number = try? container.decode(Int64.self, forKey: .deadlineMs) {
            milliseconds = number
        } else if let double = try? container.decode(Double.self, forKey: .deadlineMs) {
            milliseconds = Int64(exactly: double)
        } else if let text = try? container.decode(String.self, forKey: .deadlineMs) {
            milliseconds = LambdaClock.parseEpochMilliseconds(text)
        } else {
            milliseconds = nil
        }
        guard let milliseconds, milliseconds >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .deadlineMs, in: container, debugDescription: "deadlineMs is not a non-negative whole number of milliseconds")
        }
        return milliseconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let eventType = try container.decode(String.self, forKey: .eventType)
        switch eventType.uppercased() {
        case "INVOKE":
            guard let deadline = try Self.deadline(container) else {
                throw DecodingError.dataCorruptedError(forKey: .deadlineMs, in: container, debugDescription: "INVOKE without a deadlineMs")
            }
            self = .invoke(
                requestID: try container.decode(String.self, forKey: .requestId),
                deadlineEpochMilliseconds: deadline,
                invokedFunctionARN: try container.decodeIfPresent(String.self, forKey: .invokedFunctionArn),
                traceHeader: try container.decodeIfPresent(Tracing.self, forKey: .tracing)?.value
            )
        case "SHUTDOWN":
            self = .shutdown(
                reason: ShutdownReason(try container.decodeIfPresent(String.self, forKey: .shutdownReason) ?? ""),
                deadlineEpochMilliseconds: try Self.deadline(container)
            )
        default:
            throw DecodingError.dataCorruptedError(forKey: .eventType, in: container, debugDescription: "unknown eventType '\(eventType)'")
        }
    }
}
