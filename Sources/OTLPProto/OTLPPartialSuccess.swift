/// The `partial_success` of an `Export{Trace,Metrics,Logs}ServiceResponse`
/// (`Export{Trace,Metrics,Logs}PartialSuccess`).
///
/// A server sets it when it accepted only part of a request, or to send a warning with a
/// fully accepted request (`rejected` 0, non-empty `errorMessage`). Per the OTLP
/// specification, a value with `rejected` 0 and an empty `errorMessage` means the same as
/// full success.
public struct OTLPPartialSuccess: Sendable, Equatable {
    /// Number of rejected items: `rejected_spans`, `rejected_data_points` or
    /// `rejected_log_records`, depending on the signal.
    public var rejected: Int64
    /// The developer-facing `error_message` (may be empty).
    public var errorMessage: String

    /// Creates a partial success.
    public init(rejected: Int64, errorMessage: String) {
        self.rejected = rejected
        self.errorMessage = errorMessage
    }
}
