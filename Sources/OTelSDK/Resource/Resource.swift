/// The entity producing telemetry (`Resource` in OTLP): a set of attributes such as `service.name`.
///
/// Immutable and shared: every span of a provider points at the same instance, so exporters group
/// by identity. Keys are unique; `merging(_:)` lets the other resource's values win.
public final class Resource: Sendable {
    public let attributes: [Attribute]

    public init(attributes: [Attribute]) {
        var seen = Set<String>()
        var unique: [Attribute] = []
        // Last value wins for a repeated key, keeping the position of its first occurrence.
        for attribute in attributes.reversed() where seen.insert(attribute.key).inserted {
            unique.append(attribute)
        }
        self.attributes = unique.reversed()
    }

    /// The value of `key`, if present.
    public subscript(key: String) -> AttributeValue? {
        attributes.first(where: { $0.key == key })?.value
    }

    /// A resource with this one's attributes overridden by `other`'s.
    public func merging(_ other: Resource) -> Resource {
        Resource(attributes: attributes + other.attributes)
    }

    /// An empty resource.
    public static let empty = Resource(attributes: [])
}
