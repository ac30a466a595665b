#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The SVG chart of a bench: one panel per arrival rate, the caller-latency CDF of every strategy on a logarithmic
/// time axis, the gateway timeout marked. Written by hand, viewable in any browser.
struct LatencyChart {
    var results: [RunResult]
    var gatewayTimeout: Duration

    private static let panelWidth = 560.0
    private static let panelHeight = 380.0
    private static let legendHeight = 44.0
    private static let margin = (left: 70.0, right: 24.0, top: 44.0, bottom: 58.0)

    /// The colour and dash of a strategy's line.
    private static func style(_ strategy: BenchStrategy) -> (color: String, dash: String) {
        switch strategy {
        case .baseline: ("#7f7f7f", "6 4")
        case .synchronous: ("#d62728", "")
        case .naive: ("#ff7f0e", "")
        case .extensionGated: ("#1f77b4", "")
        case .runtimeGated: ("#2ca02c", "3 3")
        }
    }

    /// The chart as an SVG document.
    var svg: String {
        let rates = results.map(\.rps).reduce(into: [Double]()) { if !$0.contains($1) { $0.append($1) } }
        let width = Self.panelWidth * Double(max(1, rates.count))
        let height = Self.legendHeight + Self.panelHeight
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" \
            font-family="Helvetica, Arial, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>

            """
        out += legend()
        let decades = decadeRange()
        for (index, rate) in rates.enumerated() {
            out += panel(rate: rate, originX: Double(index) * Self.panelWidth, decades: decades)
        }
        return out + "</svg>\n"
    }

    /// Writes ``svg`` to `path`, creating the directory if needed.
    func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(svg.utf8).write(to: url)
    }

    private func legend() -> String {
        let strategies = results.map(\.strategy).reduce(into: [BenchStrategy]()) { if !$0.contains($1) { $0.append($1) } }
        var out = ""
        var x = Self.margin.left
        for strategy in strategies {
            let style = Self.style(strategy)
            out += ##"<line x1="\##(n(x))" y1="22" x2="\##(n(x + 28))" y2="22" stroke="\##(style.color)" stroke-width="2.5"\##(Self.dash(style.dash))/>"##
            let name = strategy == .baseline ? "baseline (extension-gated, no stalls)" : strategy.rawValue
            out += ##"<text x="\##(n(x + 34))" y="26">\##(name)</text>"## + "\n"
            x += 34 + Double(name.count) * 6.6 + 22
        }
        return out
    }

    private func panel(rate: Double, originX: Double, decades: ClosedRange<Int>) -> String {
        let left = originX + Self.margin.left
        let right = originX + Self.panelWidth - Self.margin.right
        let top = Self.legendHeight + Self.margin.top
        let bottom = Self.legendHeight + Self.panelHeight - Self.margin.bottom
        let span = Double(decades.upperBound - decades.lowerBound)
        func x(_ milliseconds: Double) -> Double {
            let clamped = min(max(log10(max(milliseconds, 1e-3)), Double(decades.lowerBound)), Double(decades.upperBound))
            return left + (clamped - Double(decades.lowerBound)) / span * (right - left)
        }
        func y(_ fraction: Double) -> Double { bottom - fraction * (bottom - top) }

        var out = ##"<text x="\##(n((left + right) / 2))" y="\##(n(top - 16))" text-anchor="middle" font-size="14" font-weight="bold">"##
        out += "Caller latency CDF at \(FixedPoint.string(rate, rate < 10 ? 1 : 0)) invocations/s</text>\n"
        // Grid and ticks: decades labelled, 2× and 5× light.
        for decade in decades {
            let value = pow(10, Double(decade))
            out += ##"<line x1="\##(n(x(value)))" y1="\##(n(top))" x2="\##(n(x(value)))" y2="\##(n(bottom))" stroke="#ccc"/>"##
            out += ##"<text x="\##(n(x(value)))" y="\##(n(bottom + 16))" text-anchor="middle">\##(Self.label(milliseconds: value))</text>"## + "\n"
            if decade < decades.upperBound {
                for minor in [2.0, 5.0] {
                    out += ##"<line x1="\##(n(x(value * minor)))" y1="\##(n(top))" x2="\##(n(x(value * minor)))" y2="\##(n(bottom))" stroke="#eee"/>"##
                }
            }
        }
        for fraction in [0.0, 0.25, 0.5, 0.75, 0.9, 1.0] {
            out += ##"<line x1="\##(n(left))" y1="\##(n(y(fraction)))" x2="\##(n(right))" y2="\##(n(y(fraction)))" stroke="#ddd"/>"##
            out += ##"<text x="\##(n(left - 6))" y="\##(n(y(fraction) + 4))" text-anchor="end">\##(FixedPoint.string(fraction, 2))</text>"## + "\n"
        }
        let timeout = x(gatewayTimeout.milliseconds)
        out += ##"<line x1="\##(n(timeout))" y1="\##(n(top))" x2="\##(n(timeout))" y2="\##(n(bottom))" stroke="#000" stroke-dasharray="2 3"/>"##
        out += ##"<text x="\##(n(timeout - 4))" y="\##(n(top + 12))" text-anchor="end" font-size="11">gateway timeout</text>"## + "\n"
        for result in results where result.rps == rate && !result.cdf.isEmpty {
            let style = Self.style(result.strategy)
            var path = "M\(n(x(result.cdf[0].milliseconds))) \(n(y(0)))"
            var previous = 0.0
            for point in result.cdf {
                path += " H\(n(x(point.milliseconds))) V\(n(y(point.fraction)))"
                previous = point.fraction
            }
            if previous < 1 { path += " V\(n(y(1)))" }
            out += ##"<path d="\##(path)" fill="none" stroke="\##(style.color)" stroke-width="2"\##(Self.dash(style.dash))/>"## + "\n"
        }
        out += ##"<rect x="\##(n(left))" y="\##(n(top))" width="\##(n(right - left))" height="\##(n(bottom - top))" fill="none" stroke="#333"/>"##
        out += ##"<text x="\##(n((left + right) / 2))" y="\##(n(bottom + 40))" text-anchor="middle">caller latency (log scale)</text>"##
        out += ##"<text transform="translate(\##(n(originX + 18)) \##(n((top + bottom) / 2))) rotate(-90)" text-anchor="middle">fraction of invocations at or below</text>"##
        return out + "\n"
    }

    /// The decades the x axis spans: from the smallest latency's to the largest's (and the gateway timeout's).
    private func decadeRange() -> ClosedRange<Int> {
        let values = results.flatMap { $0.cdf.map(\.milliseconds) }.filter { $0 > 0 } + [gatewayTimeout.milliseconds]
        let low = Int(floor(log10(values.min() ?? 1)))
        let high = Int(ceil(log10(values.max() ?? 10)))
        return low...max(high, low + 1)
    }

    /// The `stroke-dasharray` attribute for `pattern`, nothing for a solid line.
    private static func dash(_ pattern: String) -> String {
        pattern.isEmpty ? "" : ##" stroke-dasharray="\##(pattern)""##
    }

    private static func label(milliseconds: Double) -> String {
        milliseconds >= 1_000 ? "\(FixedPoint.string(milliseconds / 1_000, 0)) s"
            : "\(FixedPoint.string(milliseconds, milliseconds >= 1 ? 0 : 1)) ms"
    }

    /// A coordinate with one decimal.
    private func n(_ value: Double) -> String { FixedPoint.string(value, 1) }
}
