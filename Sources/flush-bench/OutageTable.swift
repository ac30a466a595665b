/// The `collector-down` results as a plain-text table, one row per strategy and outage.
struct OutageTable {
    var results: [OutageResult]

    private static let headers = [
        "strategy", "collector", "inv", "post-resp med ms (3rd on)", "min", "max", "outage post-resp s", "fn timeouts",
        "recovery med ms", "caller p50 ms", "caller max ms", "not answered", "fn t/o", "created", "distinct", "lost",
        "caught up after",
    ]

    /// The table, columns aligned, numbers right-aligned; `-` where a value is unknown.
    var text: String {
        let rows = [Self.headers] + results.map(Self.row)
        let widths = Self.headers.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - row[column].count)
                return column < 2 ? row[column] + padding : padding + row[column]
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    private static func row(_ result: OutageResult) -> [String] {
        func ms(_ value: Double?) -> String { value.map { FixedPoint.string($0, 1) } ?? "-" }
        return [
            result.strategy.rawValue, result.outage.rawValue, String(result.outagePostResponseMs.count),
            ms(result.medianFromThirdMs), ms(result.minFromThirdMs), ms(result.maxFromThirdMs),
            FixedPoint.string(result.outageTotalS, 2), FixedPoint.string(result.outageTotalFunctionTimeouts, 2),
            ms(result.recoveryMedianMs), ms(result.callerP50Ms), ms(result.callerMaxMs), String(result.callersNotAnswered),
            String(result.functionTimeouts), String(result.spansCreated), String(result.spansDistinct), String(result.lostSpans),
            result.caughtUpAfter.map { "\($0) inv" } ?? "never",
        ]
    }
}
