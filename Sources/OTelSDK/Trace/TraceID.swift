/// A 16-byte W3C trace ID, stored as two big-endian halves.
public struct TraceID: Sendable, Hashable, Comparable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The all-zero ID, which W3C and OTLP treat as invalid.
    public static let invalid = TraceID(high: 0, low: 0)

    public var isValid: Bool { high != 0 || low != 0 }

    /// The 16 bytes in network order, as OTLP carries them.
    public var bytes: [UInt8] { high.bigEndianBytes + low.bigEndianBytes }

    /// Parses 32 hex digits; nil if malformed.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 32, let high = UInt64(hexBytes: utf8[0..<16]), let low = UInt64(hexBytes: utf8[16..<32]) else { return nil }
        self.init(high: high, low: low)
    }

    /// 32 lower-case hex digits.
    public var hex: String { high.paddedHex + low.paddedHex }

    public static func < (lhs: TraceID, rhs: TraceID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

/// An 8-byte W3C span ID.
public struct SpanID: Sendable, Hashable {
    public var value: UInt64

    public init(_ value: UInt64) {
        self.value = value
    }

    public static let invalid = SpanID(0)

    public var isValid: Bool { value != 0 }

    /// The 8 bytes in network order, as OTLP carries them.
    public var bytes: [UInt8] { value.bigEndianBytes }

    /// Parses 16 hex digits; nil if malformed.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 16, let value = UInt64(hexBytes: utf8[...]) else { return nil }
        self.init(value)
    }

    /// 16 lower-case hex digits.
    public var hex: String { value.paddedHex }
}

extension TraceID: CustomStringConvertible {
    public var description: String { hex }
}

extension SpanID: CustomStringConvertible {
    public var description: String { hex }
}

extension UInt64 {
    var bigEndianBytes: [UInt8] {
        withUnsafeBytes(of: bigEndian) { Array($0) }
    }

    var paddedHex: String {
        let digits = String(self, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Parses exactly the given hex digits (at most 16); nil on any non-hex byte.
    init?(hexBytes: ArraySlice<UInt8>) {
        guard !hexBytes.isEmpty, hexBytes.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in hexBytes {
            guard let digit = hexValue(byte) else { return nil }
            value = value << 4 | UInt64(digit)
        }
        self = value
    }
}
