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

    private struct State {
        var lines: [Line] = []
        var watchers: [(matches: @Sendable (Line) -> Bool, continuation: CheckedContinuation<Line, Never>)] = []
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// A logger at level `trace` whose lines land here.
    public var logger: Logger {
        Logger(label: "test") { _ in CapturingLogHandler(capture: self) }
    }

    /// The messages, in order.
    public var messages: [String] { state.withLockedValue { $0.lines.map(\.message) } }
    /// Every line, in order.
    public var all: [Line] { state.withLockedValue { $0.lines } }

    /// The first line that `matches`, waiting for it if none has been captured yet.
    public func line(where matches: @escaping @Sendable (Line) -> Bool) async -> Line {
        await withCheckedContinuation { continuation in
            let found: Line? = state.withLockedValue { state in
                if let line = state.lines.first(where: matches) { return line }
                state.watchers.append((matches, continuation))
                return nil
            }
            if let found { continuation.resume(returning: found) }
        }
    }

    fileprivate func append(_ line: Line) {
        let matched = state.withLockedValue { state in
            state.lines.append(line)
            var matched: [CheckedContinuation<Line, Never>] = []
            state.watchers.removeAll { watcher in
                guard watcher.matches(line) else { return false }
                matched.append(watcher.continuation)
                return true
            }
            return matched
        }
        for continuation in matched { continuation.resume(returning: line) }
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
