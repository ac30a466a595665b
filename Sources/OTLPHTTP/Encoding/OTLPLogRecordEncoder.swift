import OTelSDK

/// Encodes log records as one ExportLogsServiceRequest (protobuf binary), grouping by resource,
/// then scope, by object identity (framing and grouping: `OTLPRequestEncoder`).
///
/// Output: one `ResourceLogs` per distinct `Resource` instance and, inside it, one `ScopeLogs` per
/// distinct `InstrumentationScope` instance, in order of first appearance; records keep their
/// relative order. An empty batch encodes as the empty request (zero bytes).
///
/// Field mapping (`OTLPMessageBuilder.logRecord`):
/// - `time_unix_nano`, `observed_time_unix_nano`: as recorded (0 = unknown time).
/// - `severity_number`: the number, or `SEVERITY_NUMBER_UNSPECIFIED` without one; `severity_text`
///   as recorded (empty when nil).
/// - `body`: the `AnyValue` of the body, absent when nil; an empty string body is still a string.
/// - `attributes`: `AnyValue`s, nested arrays → `ArrayValue`, nested maps → `KeyValueList`.
/// - `trace_id`, `span_id`, `flags` (W3C trace flags): from the span context, absent without one.
/// - Strings: every NUL becomes U+FFFD, as in `OTLPTraceEncoder` (libprotobuf-c uses `strlen`).
enum OTLPLogRecordEncoder {
    static func encode(_ records: [LogRecordData]) -> [UInt8] {
        OTLPRequestEncoder.encode(records, estimatedItemSize: 256) { builder, index in builder.logRecord(records[index]) }
    }

    /// Encodes into `workspace.request`, reusing the workspace's memory.
    static func encode(_ records: [LogRecordData], into workspace: inout OTLPEncodingWorkspace) {
        OTLPRequestEncoder.encode(records, estimatedItemSize: 256, into: &workspace) { builder, index in builder.logRecord(records[index]) }
    }
}

extension LogRecordData: OTLPRequestItem {}
