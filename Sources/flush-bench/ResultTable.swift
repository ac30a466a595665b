/// The results as a plain-text table for standard output, one row per strategy and rate.
struct ResultTable {
    var results: [RunResult]

    private static let headers = [
        "strategy", "rps", "inv", "p50 ms", "p95 ms", "p99 ms", "max ms", "504", "fn t/o", "cold",
        "created", "received", "distinct", "lost", "dup", "violations", "billed ms", "flush p50", "flush p99",
    ]

    /// The table, columns aligned, numbers right-aligned; `-` where a value is unknown.
    var text: String {
        let rows = [Self.headers] + results.map(Self.row)
        let widths = Self.headers.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - row[column].count)
                return column == 0 ? row[column] + padding : padding + row[column]
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    private static func row(_ result: RunResult) -> [String] {
        func ms(_ value: Double?) -> String { value.map { FixedPoint.string($0, 1) } ?? "-" }
        func count(_ value: Int?) -> String { value.map(String.init) ?? "-" }
        return [
            result.strategy.rawValue, FixedPoint.string(result.rps, result.rps < 10 ? 1 : 0), String(result.invocations),
            ms(result.p50Ms), ms(result.p95Ms), ms(result.p99Ms), ms(result.maxMs),
            String(result.gatewayTimeouts), String(result.functionTimeouts), String(result.coldStarts),
            String(result.spansCreated), count(result.spansReceived), count(result.spansDistinct),
            count(result.lostSpans), count(result.duplicateSpans), String(result.violations),
            ms(result.billedMsMean), ms(result.flushP50Ms), ms(result.flushP99Ms),
        ]
    }
}
