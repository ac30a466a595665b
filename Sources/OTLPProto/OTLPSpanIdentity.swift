/// What identifies a span: its `trace_id` (16 bytes) and `span_id` (8 bytes), packed into three integers.
///
/// Two spans with the same identity are the same span sent twice (OTLP gives every span a trace-unique `span_id`).
/// The bytes are read big-endian, so the hexadecimal form of the integers is the usual hexadecimal form of the IDs.
/// An ID of another length (invalid in OTLP) is read as if truncated or zero-padded at the end to its proper length;
/// a missing ID reads as zeroes.
public struct OTLPSpanIdentity: Sendable, Hashable, CustomStringConvertible {
    /// Bytes 0..<8 of the `trace_id`.
    public var traceIDHigh: UInt64
    /// Bytes 8..<16 of the `trace_id`.
    public var traceIDLow: UInt64
    /// The 8 bytes of the `span_id`.
    public var spanID: UInt64

    /// Creates an identity from its integers.
    public init(traceIDHigh: UInt64, traceIDLow: UInt64, spanID: UInt64) {
        self.traceIDHigh = traceIDHigh
        self.traceIDLow = traceIDLow
        self.spanID = spanID
    }

    /// Creates an identity from the bytes of a `trace_id` (16) and a `span_id` (8), as they are on the wire.
    public init(traceID: some Collection<UInt8>, spanID: some Collection<UInt8>) {
        self.traceIDHigh = Self.bigEndian(traceID.prefix(8))
        self.traceIDLow = Self.bigEndian(traceID.dropFirst(8).prefix(8))
        self.spanID = Self.bigEndian(spanID.prefix(8))
    }

    /// `trace_id/span_id` in lowercase hexadecimal, as in W3C `traceparent`.
    public var description: String {
        "\(Self.hex(traceIDHigh))\(Self.hex(traceIDLow))/\(Self.hex(spanID))"
    }

    /// Up to 8 bytes as a big-endian integer, zero-padded at the end.
    private static func bigEndian(_ bytes: some Collection<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        var shift = 56
        for byte in bytes {
            value |= UInt64(byte) << shift
            shift -= 8
        }
        return value
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
