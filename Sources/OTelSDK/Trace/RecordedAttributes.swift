import Tracing

/// A span's attributes as instrumentation set them, with the limits still to apply.
///
/// An ended span carries these instead of converted attributes, so that the conversion (and the
/// limits) cost the exporter's thread rather than the thread that ends the span. The result is the
/// same as converting at the end: values whose text could change later (`stringConvertible`) are
/// turned into strings when the span ends.
struct RecordedAttributes: Sendable {
    private let attributes: SpanAttributes
    private let countLimit: Int
    private let valueLengthLimit: Int?

    init(_ attributes: SpanAttributes, limits: SpanLimits) {
        var frozen = attributes
        attributes.forEach { key, value in
            switch value {
            case .stringConvertible(let convertible):
                frozen[key] = SpanAttribute.string(convertible.description)
            case .stringConvertibleArray(let convertibles):
                frozen[key] = SpanAttribute.stringArray(convertibles.map(\.description))
            default:
                break
            }
        }
        self.attributes = frozen
        self.countLimit = limits.attributeCountLimit
        self.valueLengthLimit = limits.attributeValueLengthLimit
    }

    /// The attributes with the limits applied, and how many were dropped.
    var limited: (attributes: [Attribute], dropped: Int) {
        attributes.converted(countLimit: countLimit, valueLengthLimit: valueLengthLimit)
    }

    /// Calls `body` with each attribute `limited` keeps, in the same order, without building the
    /// array; returns how many were dropped.
    func forEachLimited(_ body: (_ key: String, _ value: AttributeValue) -> Void) -> Int {
        attributes.forEachConverted(countLimit: countLimit, valueLengthLimit: valueLengthLimit, body)
    }

    /// At least as many attributes as the limits keep.
    var keptCountBound: Int {
        min(attributes.count, countLimit)
    }

    /// The estimated export size of the attributes as recorded: at least that of the ones the limits keep.
    var estimatedExportBytes: Int {
        var bytes = 0
        attributes.forEach { key, value in bytes += ExportSize.attribute(key: key, value: value) }
        return bytes
    }

    /// How many attributes the limits drop, without converting the others.
    var droppedCount: Int {
        var convertible = 0
        var unconvertible = 0
        attributes.forEach { _, value in
            if AttributeValue(value, lengthLimit: nil) == nil {
                unconvertible += 1
            } else {
                convertible += 1
            }
        }
        return unconvertible + max(0, convertible - countLimit)
    }
}
