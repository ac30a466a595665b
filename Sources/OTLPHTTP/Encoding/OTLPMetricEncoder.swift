import OTelSDK

extension MetricData: OTLPRequestItem {}

/// Encodes metrics as one `ExportMetricsServiceRequest` (protobuf binary): one `Metric` message per
/// ``MetricData``, grouped by resource, then scope, by object identity (see `OTLPRequestEncoder`).
/// Strings have NUL bytes replaced by U+FFFD, as in every request the exporter writes.
enum OTLPMetricEncoder {
    static func encode(_ metrics: [MetricData]) -> [UInt8] {
        OTLPRequestEncoder.encode(metrics, estimatedItemSize: 256) { builder, index in
            builder.metric(metrics[index])
        }
    }
}
