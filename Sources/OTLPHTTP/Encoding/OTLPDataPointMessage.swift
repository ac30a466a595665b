import COTLP

/// The fields every OTLP metric data point message has, whatever its kind: the generated
/// protobuf-c structs give them the same names, so each kind conforms as it is.
protocol OTLPDataPointMessage {
    var n_attributes: Int { get set }
    var attributes: UnsafeMutablePointer<UnsafeMutablePointer<OTLPProtobufC.KeyValue>?>! { get set }
    var start_time_unix_nano: UInt64 { get set }
    var time_unix_nano: UInt64 { get set }
}

extension OTLPProtobufC.NumberDataPoint: OTLPDataPointMessage {}
extension OTLPProtobufC.HistogramDataPoint: OTLPDataPointMessage {}
