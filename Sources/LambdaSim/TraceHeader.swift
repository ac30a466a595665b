/// X-Ray trace headers for invocations whose caller sent none.
enum TraceHeader {
    /// `Root=1-<8 hex epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=1`.
    static func generate(epochMilliseconds: Int64) -> String {
        var random = SystemRandomNumberGenerator()
        let seconds = hex(UInt64(epochMilliseconds / 1_000), digits: 8)
        let root = hex(random.next(), digits: 16) + hex(random.next(), digits: 8)
        let parent = hex(random.next(), digits: 16)
        return "Root=1-\(seconds)-\(root);Parent=\(parent);Sampled=1"
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        let padded = String(repeating: "0", count: max(0, digits - text.count)) + text
        return String(padded.suffix(digits))
    }
}
