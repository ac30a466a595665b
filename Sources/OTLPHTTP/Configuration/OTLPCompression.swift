/// Body compression for OTLP/HTTP requests (`OTEL_EXPORTER_OTLP[_SIGNAL]_COMPRESSION`).
public enum OTLPCompression: String, Sendable {
    /// Send the protobuf body as is.
    case none
    /// Gzip the body with zlib and send `Content-Encoding: gzip`.
    case gzip
}
