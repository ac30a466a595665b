/// Limits on what one log record may carry; what exceeds them is dropped (attributes, counted in
/// ``LogRecordData/droppedAttributesCount``) or truncated (string values).
///
/// Defaults follow the OpenTelemetry specification (128 attributes, no value length limit) and can
/// be set with `OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT` and `OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT`,
/// falling back to `OTEL_ATTRIBUTE_COUNT_LIMIT` and `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`.
public struct LogRecordLimits: Sendable, Equatable {
    public var attributeCountLimit: Int = 128
    /// Longer string values (also inside arrays and nested lists) are truncated to this many characters.
    public var attributeValueLengthLimit: Int? = nil

    public init() {}

    /// Limits read from the environment, falling back to the defaults with a warning on malformed values.
    public init(environment: OTelEnvironment) {
        (attributeCountLimit, attributeValueLengthLimit) = environment.attributeLimits(signalPrefix: "OTEL_LOGRECORD", defaultCount: LogRecordLimits().attributeCountLimit)
    }

    /// `attributes` with the limits applied (the first `attributeCountLimit` kept), and how many were dropped.
    func apply(to attributes: [Attribute]) -> (attributes: [Attribute], dropped: Int) {
        var kept = attributes
        var dropped = 0
        if kept.count > attributeCountLimit {
            dropped = kept.count - attributeCountLimit
            kept.removeLast(dropped)
        }
        if let attributeValueLengthLimit {
            for index in kept.indices {
                kept[index].value = kept[index].value.truncated(toLength: attributeValueLengthLimit)
            }
        }
        return (kept, dropped)
    }
}
