/// The X-Ray trace header Lambda gives an invocation, by the function's tracing mode
/// (contract §1.3a).
enum TraceHeader {
    /// The header for an invocation whose caller sent `upstream` (its `X-Amzn-Trace-Id`; nil when it sent none).
    static func forInvocation(
        upstream: String?,
        mode: LambdaSimConfiguration.TracingMode,
        form: LambdaSimConfiguration.TraceHeaderForm,
        epochMilliseconds: Int64
    ) -> String {
        var random = SystemRandomNumberGenerator()
        switch mode {
        case .passThrough:
            if let upstream { return upstream }
            let root = newRoot(epochMilliseconds: epochMilliseconds, random: &random)
            switch form {
            case .full:
                return "Root=\(root);Parent=\(hex(random.next(), digits: 16));Sampled=0;Lineage=\(hex(random.next(), digits: 8)):0"
            case .rootOnly:
                return "Root=\(root)"
            }
        case .active:
            let fields = upstream.map(Self.fields) ?? [:]
            if let upstream, fields["sampled"] == "0" { return upstream }
            let root = fields["root"].flatMap { isRoot($0) ? $0 : nil } ?? newRoot(epochMilliseconds: epochMilliseconds, random: &random)
            return "Root=\(root);Parent=\(hex(random.next(), digits: 16));Sampled=1"
        }
    }

    /// `1-<8 hex epoch seconds>-<24 hex>`.
    private static func newRoot(epochMilliseconds: Int64, random: inout SystemRandomNumberGenerator) -> String {
        "1-\(hex(UInt64(epochMilliseconds / 1_000), digits: 8))-\(hex(random.next(), digits: 16))\(hex(random.next(), digits: 8))"
    }

    /// The header's `key=value` fields, keys lower-cased.
    private static func fields(_ header: String) -> [String: String] {
        var result: [String: String] = [:]
        for field in header.split(separator: ";") {
            let pair = field.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            result[pair[0].filter { !$0.isWhitespace }.lowercased()] = pair[1].filter { !$0.isWhitespace }
        }
        return result
    }

    private static func isRoot(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "1" && parts[1].utf8.count == 8 && parts[2].utf8.count == 24
            && (parts[1] + parts[2]).allSatisfy(\.isHexDigit)
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        let padded = String(repeating: "0", count: max(0, digits - text.count)) + text
        return String(padded.suffix(digits))
    }
}
