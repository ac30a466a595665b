/// What kind of instrument produced a metric stream; decides its aggregation and temporality.
public enum InstrumentKind: Sendable, Hashable, CaseIterable {
    case counter
    case upDownCounter
    case histogram
    case gauge
    case observableCounter
    case observableUpDownCounter
    case observableGauge
}

/// The identity of an instrument within a meter: name (case-insensitive, as the spec says), kind,
/// unit and description. Creating an instrument twice with the same descriptor returns the same one.
struct InstrumentDescriptor: Hashable, Sendable {
    let name: String
    let kind: InstrumentKind
    let unit: String
    let description: String
    let isInteger: Bool

    func hash(into hasher: inout Hasher) {
        hasher.combine(name.lowercased())
        hasher.combine(kind)
        hasher.combine(unit)
        hasher.combine(isInteger)
    }

    static func == (lhs: InstrumentDescriptor, rhs: InstrumentDescriptor) -> Bool {
        lhs.kind == rhs.kind && lhs.unit == rhs.unit && lhs.isInteger == rhs.isInteger
            && lhs.name.lowercased() == rhs.name.lowercased()
    }
}
