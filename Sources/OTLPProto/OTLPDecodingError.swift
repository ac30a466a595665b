/// Thrown when bytes cannot be decoded as the protobuf message they should contain.
///
/// libprotobuf-c reports only success or failure, so the error names the message type
/// that was expected and how many bytes were offered; it does not say where in the input
/// decoding stopped.
public struct OTLPDecodingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Fully-qualified protobuf name of the message that could not be decoded,
    /// e.g. `"opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"`.
    public var messageType: String
    /// Number of input bytes that were offered to the decoder.
    public var byteCount: Int
    /// Why, when more is known than "malformed or truncated input" (messages nested too deeply).
    public var reason: String

    /// Creates an error for `byteCount` bytes that are not a valid `messageType`.
    public init(messageType: String, byteCount: Int, reason: String = "malformed or truncated input") {
        self.messageType = messageType
        self.byteCount = byteCount
        self.reason = reason
    }

    public var description: String {
        "could not decode \(byteCount) byte(s) as protobuf \(messageType): \(reason)"
    }
}
