/// Limits on what one span may carry; what exceeds them is dropped and counted in the span.
///
/// Defaults follow the OpenTelemetry specification (128 of each, no value length limit) and can
/// be set with `OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT`, `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT`,
/// `OTEL_SPAN_EVENT_COUNT_LIMIT`, `OTEL_SPAN_LINK_COUNT_LIMIT`, `OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT`
/// and `OTEL_LINK_ATTRIBUTE_COUNT_LIMIT`.
public struct SpanLimits: Sendable, Equatable {
    public var attributeCountLimit: Int = 128
    /// Longer string values (and string array elements) are truncated to this many characters.
    public var attributeValueLengthLimit: Int? = nil
    public var eventCountLimit: Int = 128
    public var linkCountLimit: Int = 128
    public var attributePerEventCountLimit: Int = 128
    public var attributePerLinkCountLimit: Int = 128

    public init() {}

    /// Limits read from the environment, falling back to the defaults with a warning on malformed values.
    public init(environment: OTelEnvironment) {
        let defaults = SpanLimits()
        (attributeCountLimit, attributeValueLengthLimit) = environment.attributeLimits(signalPrefix: "OTEL_SPAN", defaultCount: defaults.attributeCountLimit)
        eventCountLimit = environment.integer("OTEL_SPAN_EVENT_COUNT_LIMIT", default: defaults.eventCountLimit)
        linkCountLimit = environment.integer("OTEL_SPAN_LINK_COUNT_LIMIT", default: defaults.linkCountLimit)
        attributePerEventCountLimit = environment.integer("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", default: defaults.attributePerEventCountLimit)
        attributePerLinkCountLimit = environment.integer("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", default: defaults.attributePerLinkCountLimit)
    }
}
