/// The OpenTelemetry severity of a log record: a number from 1 (`TRACE`) to 24 (`FATAL4`).
///
/// Ranges of four per level, from least to most severe: TRACE 1–4, DEBUG 5–8, INFO 9–12,
/// WARN 13–16, ERROR 17–20, FATAL 21–24. A record without a severity carries none (nil), which
/// OTLP encodes as `SEVERITY_NUMBER_UNSPECIFIED`.
public struct SeverityNumber: RawRepresentable, Sendable, Hashable, Comparable {
    public let rawValue: Int32

    /// A severity; nil outside 1...24.
    public init?(rawValue: Int32) {
        guard (1...24).contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    private init(checked rawValue: Int32) {
        self.rawValue = rawValue
    }

    public static let trace = SeverityNumber(checked: 1)
    public static let debug = SeverityNumber(checked: 5)
    public static let info = SeverityNumber(checked: 9)
    public static let info2 = SeverityNumber(checked: 10)
    public static let warn = SeverityNumber(checked: 13)
    public static let error = SeverityNumber(checked: 17)
    public static let fatal = SeverityNumber(checked: 21)

    /// The specification's short name: `TRACE`, `TRACE2` … `INFO2` … `FATAL4`. Not allocated per call.
    public var shortName: String { Self.shortNames[Int(rawValue) - 1] }

    private static let shortNames: [String] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"].flatMap { level in
        [level, level + "2", level + "3", level + "4"]
    }

    public static func < (lhs: SeverityNumber, rhs: SeverityNumber) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
