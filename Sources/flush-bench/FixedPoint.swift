/// Fixed-point formatting of numbers for the table, the progress lines and the chart, without Foundation's
/// `String(format:)`.
enum FixedPoint {
    /// `value` rounded to `places` decimals: `string(12.345, 1)` is `"12.3"`, `string(7, 0)` is `"7"`.
    static func string(_ value: Double, _ places: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard places > 0 else { return sign + String(scaled) }
        let whole = scaled / Int(scale)
        let fraction = String(scaled % Int(scale))
        return sign + "\(whole)." + String(repeating: "0", count: places - fraction.count) + fraction
    }
}
