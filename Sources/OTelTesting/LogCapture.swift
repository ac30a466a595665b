import Logging
import NIOConcurrencyHelpers

/// Collects log lines in memory so tests can assert on diagnostics. Thread-safe.
public final class LogCapture: Sendable {
    public struct Line: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]

        /// `level message key=value ...`, metadata sorted by key.
        public var rendered: String {
            ([level.rawValue, message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    private let lines = NIOLockedValueBox<[Line]>([])

    public init() {}

    /// A logger at level `trace` whose lines land here.
    public var logger: Logger {
        Logger(label: "test") { _ in CapturingLogHandler(capture: self) }
    }

    /// The messages, in order.
    public var messages: [String] { lines.withLockedValue { $0.map(\.message) } }
    /// Every line, in order.
    public var all: [Line] { lines.withLockedValue { $0 } }

    fileprivate func append(_ line: Line) {
        lines.withLockedValue { $0.append(line) }
    }
}

private struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        capture.append(.init(level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" }))
    }
}
