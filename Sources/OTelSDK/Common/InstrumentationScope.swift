/// The instrumentation scope (library) that produced telemetry: `InstrumentationScope` in OTLP.
///
/// A reference type so that exporters can group items by scope through identity, without
/// comparing strings on every item. Immutable and therefore safe to share across threads.
public final class InstrumentationScope: Sendable {
    public let name: String
    public let version: String?
    public let attributes: [Attribute]

    public init(name: String, version: String? = nil, attributes: [Attribute] = []) {
        self.name = name
        self.version = version
        self.attributes = attributes
    }
}
