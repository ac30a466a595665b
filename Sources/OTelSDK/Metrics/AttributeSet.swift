/// The identity of a metric series: a set of attributes, independent of the order they were given
/// in. Keys are unique (the last value given for a key wins); stored sorted by key.
struct AttributeSet: Hashable, Sendable {
    let attributes: [Attribute]

    init(_ attributes: [Attribute]) {
        if attributes.count < 2 || Self.isStrictlySorted(attributes) {
            self.attributes = attributes
            return
        }
        // Attribute sets are small: an insertion sort (stable, so of equal keys the one given last
        // ends last) and one pass that keeps the last of each key.
        var sorted = attributes
        for index in 1..<sorted.count {
            let attribute = sorted[index]
            var position = index
            while position > 0, attribute.key < sorted[position - 1].key {
                sorted[position] = sorted[position - 1]
                position -= 1
            }
            sorted[position] = attribute
        }
        var unique: [Attribute] = []
        unique.reserveCapacity(sorted.count)
        for attribute in sorted {
            if unique.last?.key == attribute.key {
                unique[unique.count - 1] = attribute
            } else {
                unique.append(attribute)
            }
        }
        self.attributes = unique
    }

    private static func isStrictlySorted(_ attributes: [Attribute]) -> Bool {
        for index in 1..<attributes.count where !(attributes[index - 1].key < attributes[index].key) {
            return false
        }
        return true
    }

    static let empty = AttributeSet([])
    /// The series that takes the measurements of attribute sets beyond the cardinality limit.
    static let overflow = AttributeSet([Attribute("otel.metric.overflow", .bool(true))])
}
