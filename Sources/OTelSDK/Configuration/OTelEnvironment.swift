#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// Typed, validating access to `OTEL_*` (and other) environment variables.
///
/// Every reader takes the default to use when the variable is absent or malformed. A malformed
/// value is never fatal: it is reported once through the diagnostics logger with a message that
/// names the variable, the rejected value and the default used instead, and the default applies.
/// Values of variables whose name ends in `HEADERS` are never logged, as they may carry secrets.
///
/// A value type; reading is thread-safe.
public struct OTelEnvironment: Sendable {
    /// The variables this reader sees.
    public let values: [String: String]
    /// Where warnings about malformed values go.
    public let diagnostics: Logger

    /// A reader over an explicit set of variables (tests, embedding).
    public init(_ values: [String: String], diagnostics: Logger = DiagnosticLogger.make()) {
        self.values = values
        self.diagnostics = diagnostics
    }

    /// A reader over the process environment, read once now.
    ///
    /// - Parameter diagnostics: where warnings go; by default a standard-error logger at the level of
    ///   `OTEL_LOG_LEVEL` (`trace`, `debug`, `info` (default), `warn`, `error`, `none`).
    public static func process(diagnostics: Logger? = nil) -> OTelEnvironment {
        let values = processEnvironment()
        if let diagnostics {
            return OTelEnvironment(values, diagnostics: diagnostics)
        }
        let requested = values["OTEL_LOG_LEVEL"].map { $0.trimmingWhitespace().lowercased() }
        let level: Logger.Level? = switch requested {
        case nil, "", "info": .info
        case "trace": .trace
        case "debug": .debug
        case "warn", "warning": .warning
        case "error": .error
        case "none", "off": .critical
        default: nil
        }
        let environment = OTelEnvironment(values, diagnostics: DiagnosticLogger.make(level: level ?? .info))
        if level == nil, let requested {
            environment.warnMalformed("OTEL_LOG_LEVEL", requested, expected: "one of trace, debug, info, warn, error, none", defaultDescription: "info")
        }
        return environment
    }

    /// The process environment as a dictionary.
    public static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let pair = String(cString: entry)
            if let separator = pair.firstIndex(of: "=") {
                result[String(pair[..<separator])] = String(pair[pair.index(after: separator)...])
            }
            cursor += 1
        }
        return result
    }

    /// The trimmed value of `name`, or nil when it is unset or empty (the spec treats empty as unset).
    public func string(_ name: String) -> String? {
        guard let raw = values[name] else { return nil }
        let trimmed = raw.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The first of `names` that is set, with its name (signal-specific variables before generic ones).
    public func firstString(_ names: String...) -> (name: String, value: String)? {
        for name in names {
            if let value = string(name) { return (name, value) }
        }
        return nil
    }

    /// A non-negative integer within `range`, else `defaultValue` with a warning.
    public func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int> = 0...Int(Int32.max)) -> Int {
        guard let value = string(name) else { return defaultValue }
        guard let parsed = Int(value), range.contains(parsed) else {
            warnMalformed(name, value, expected: "an integer in \(range.lowerBound)...\(range.upperBound)", defaultDescription: String(defaultValue))
            return defaultValue
        }
        return parsed
    }

    /// A duration given as integer milliseconds (the spec's Duration type); negative or malformed → default.
    public func milliseconds(_ name: String, default defaultValue: Duration) -> Duration {
        guard let value = string(name) else { return defaultValue }
        guard let parsed = Int64(value), parsed >= 0 else {
            warnMalformed(name, value, expected: "a non-negative integer number of milliseconds", defaultDescription: "\(defaultValue.milliseconds) ms")
            return defaultValue
        }
        return .milliseconds(parsed)
    }

    /// A timeout in integer milliseconds where `0` means no limit (returned as nil).
    public func timeout(_ name: String, default defaultValue: Duration?) -> Duration? {
        guard let value = string(name) else { return defaultValue }
        guard let parsed = Int64(value), parsed >= 0 else {
            let description = defaultValue.map { "\($0.milliseconds) ms" } ?? "no limit"
            warnMalformed(name, value, expected: "a non-negative integer number of milliseconds (0 = no limit)", defaultDescription: description)
            return defaultValue
        }
        return parsed == 0 ? nil : .milliseconds(parsed)
    }

    /// A boolean: only a case-insensitive `true` is true, `false` is false, anything else warns.
    public func bool(_ name: String, default defaultValue: Bool) -> Bool {
        guard let value = string(name)?.lowercased() else { return defaultValue }
        switch value {
        case "true": return true
        case "false": return false
        default:
            warnMalformed(name, value, expected: "true or false", defaultDescription: String(defaultValue))
            return defaultValue
        }
    }

    /// Reports a value that could not be used. The value itself is withheld for `*HEADERS` variables.
    public func warnMalformed(_ name: String, _ value: String, expected: String, defaultDescription: String) {
        let shown =
            if name.hasSuffix("HEADERS") { "<redacted>" }
            else if name.hasSuffix("ENDPOINT") { "'\(URLRedaction.redacted(value))'" }
            else { "'\(value)'" }
        diagnostics.warning("\(name)=\(shown) is not \(expected); using the default \(defaultDescription)")
    }
}

extension Duration {
    /// Whole milliseconds, truncated.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
