/// W3C Trace Context (`traceparent`, `tracestate`), version 00.
///
/// Extraction accepts future versions by reading the first four fields, as the W3C spec asks,
/// rejects version `ff`, all-zero IDs and anything but lower-case hex digits in the four fields (the
/// spec's `HEXDIGLC`: an upper-case ID or a signed flags field such as `+1` is malformed), and drops a
/// malformed `tracestate` (more than 32 members, or members without `key=value`) while keeping the parent.
public struct W3CTraceContextPropagator: SpanContextPropagator {
    public init() {}

    public var fields: [String] { ["traceparent", "tracestate"] }

    public func extract(getHeader: (String) -> String?) -> SpanContext? {
        guard let header = getHeader("traceparent") else { return nil }
        let parts = header.trimmingWhitespace().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].utf8.count == 2, parts[3].utf8.count == 2,
              parts[0...3].allSatisfy(Self.isLowercaseHex),
              let version = UInt8(parts[0], radix: 16), version != 0xff,
              version != 0 || parts.count == 4,
              let traceID = TraceID(hex: parts[1]), traceID.isValid,
              let spanID = SpanID(hex: parts[2]), spanID.isValid,
              let flags = UInt8(parts[3], radix: 16)
        else { return nil }
        let traceState = getHeader("tracestate").flatMap(Self.validTraceState) ?? ""
        return SpanContext(traceID: traceID, spanID: spanID, traceFlags: TraceFlags(rawValue: flags & 0x01), traceState: traceState, isRemote: true)
    }

    public func inject(_ context: SpanContext, setHeader: (String, String) -> Void) {
        guard context.isValid else { return }
        let flags = context.isSampled ? "01" : "00"
        setHeader("traceparent", "00-\(context.traceID.hex)-\(context.spanID.hex)-\(flags)")
        if !context.traceState.isEmpty {
            setHeader("tracestate", context.traceState)
        }
    }

    /// Whether every byte is one of `0-9a-f` (`HEXDIGLC`); Swift's own integer parsing would also take
    /// upper case and a leading sign.
    static func isLowercaseHex(_ field: Substring) -> Bool {
        field.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    /// The trimmed `tracestate` if it has 1...32 well-formed `key=value` members, else nil.
    static func validTraceState(_ raw: String) -> String? {
        let members = raw.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard !members.isEmpty, members.count <= 32 else { return nil }
        for member in members {
            guard let equals = member.firstIndex(of: "="), equals != member.startIndex,
                  member.index(after: equals) != member.endIndex else { return nil }
        }
        return members.joined(separator: ",")
    }
}
