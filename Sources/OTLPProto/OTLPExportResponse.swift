import COTLP
import CProtobufC

/// Encoding and decoding of the `Export{Trace,Metrics,Logs}ServiceResponse` bodies that an
/// OTLP/HTTP server sends with a successful (2xx) answer.
public enum OTLPExportResponse {
    /// Serializes an `Export{Signal}ServiceResponse`, with `partial_success` set iff
    /// `partialSuccess` is non-nil.
    ///
    /// Without a partial success the response is the empty message, i.e. no bytes.
    /// `errorMessage` is written as a C string: it ends at its first NUL character, if any.
    public static func serialized(_ signal: OTLPSignal, partialSuccess: OTLPPartialSuccess?) -> [UInt8] {
        switch signal {
        case .traces:
            return serialize(
                partialSuccess,
                initResponse: opentelemetry__proto__collector__trace__v1__export_trace_service_response__init,
                initPartial: opentelemetry__proto__collector__trace__v1__export_trace_partial_success__init
            ) { response, partial, value, cMessage in
                partial?.pointee.rejected_spans = value?.rejected ?? 0
                partial?.pointee.error_message = cMessage
                response.pointee.partial_success = partial
            }
        case .metrics:
            return serialize(
                partialSuccess,
                initResponse: opentelemetry__proto__collector__metrics__v1__export_metrics_service_response__init,
                initPartial: opentelemetry__proto__collector__metrics__v1__export_metrics_partial_success__init
            ) { response, partial, value, cMessage in
                partial?.pointee.rejected_data_points = value?.rejected ?? 0
                partial?.pointee.error_message = cMessage
                response.pointee.partial_success = partial
            }
        case .logs:
            return serialize(
                partialSuccess,
                initResponse: opentelemetry__proto__collector__logs__v1__export_logs_service_response__init,
                initPartial: opentelemetry__proto__collector__logs__v1__export_logs_partial_success__init
            ) { response, partial, value, cMessage in
                partial?.pointee.rejected_log_records = value?.rejected ?? 0
                partial?.pointee.error_message = cMessage
                response.pointee.partial_success = partial
            }
        }
    }

    /// Decodes an `Export{Signal}ServiceResponse` body and returns its `partial_success`.
    ///
    /// Returns nil when `partial_success` is absent, which is full success; an empty body is
    /// the empty message and so also full success. A present `partial_success` is returned
    /// as is, even with `rejected` 0 and an empty message (which the specification treats
    /// as full success too). `error_message` is read as a NUL-terminated C string, as
    /// libprotobuf-c stores it.
    ///
    /// - Throws: `OTLPDecodingError` when the bytes are not a valid response of that signal.
    public static func partialSuccess(_ signal: OTLPSignal, protobuf: [UInt8]) throws -> OTLPPartialSuccess? {
        switch signal {
        case .traces:
            return try withUnpackedProtobufC(
                protobuf,
                messageType: "opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse",
                unpack: opentelemetry__proto__collector__trace__v1__export_trace_service_response__unpack
            ) { response in
                response.pointee.partial_success.map {
                    OTLPPartialSuccess(rejected: $0.pointee.rejected_spans, errorMessage: swiftString($0.pointee.error_message))
                }
            }
        case .metrics:
            return try withUnpackedProtobufC(
                protobuf,
                messageType: "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse",
                unpack: opentelemetry__proto__collector__metrics__v1__export_metrics_service_response__unpack
            ) { response in
                response.pointee.partial_success.map {
                    OTLPPartialSuccess(rejected: $0.pointee.rejected_data_points, errorMessage: swiftString($0.pointee.error_message))
                }
            }
        case .logs:
            return try withUnpackedProtobufC(
                protobuf,
                messageType: "opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse",
                unpack: opentelemetry__proto__collector__logs__v1__export_logs_service_response__unpack
            ) { response in
                response.pointee.partial_success.map {
                    OTLPPartialSuccess(rejected: $0.pointee.rejected_log_records, errorMessage: swiftString($0.pointee.error_message))
                }
            }
        }
    }

    /// Allocates and initializes a response (and, if `value` is non-nil, a partial success
    /// message), lets `fill` link them, packs the response and frees both.
    ///
    /// `fill` receives the response, the partial success (nil iff `value` is nil), `value`
    /// and the C string of its error message (`""` when `value` is nil).
    private static func serialize<Response, Partial>(
        _ value: OTLPPartialSuccess?,
        initResponse: (UnsafeMutablePointer<Response>?) -> Void,
        initPartial: (UnsafeMutablePointer<Partial>?) -> Void,
        fill: (UnsafeMutablePointer<Response>, UnsafeMutablePointer<Partial>?, OTLPPartialSuccess?, UnsafeMutablePointer<CChar>) -> Void
    ) -> [UInt8] {
        let response = UnsafeMutablePointer<Response>.allocate(capacity: 1)
        let partial = UnsafeMutablePointer<Partial>.allocate(capacity: 1)
        defer {
            response.deallocate()
            partial.deallocate()
        }
        initResponse(response)
        initPartial(partial)
        return withProtobufCString(value?.errorMessage ?? "") { cMessage in
            fill(response, value == nil ? nil : partial, value, cMessage)
            return packProtobufC(protobufCMessage(response))
        }
    }
}
