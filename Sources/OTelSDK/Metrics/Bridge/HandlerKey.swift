/// What identifies a swift-metrics metric: its type, label and dimensions (in the order given).
///
/// Looked up on every `Counter(label:dimensions:)`, so its hash is a 64-bit digest of every byte of
/// the label and dimensions computed in one pass (``HandlerKeyDigest``) rather than SipHash over each
/// string: the dictionary then hashes that one word. Equal digests still compare every field.
struct HandlerKey: Hashable, Sendable {
    enum Kind: UInt8, Sendable {
        case counter, floatingPointCounter, meter, histogramRecorder, gaugeRecorder, timer
    }

    let kind: Kind
    let label: String
    let dimensions: [(String, String)]
    /// ``digest(_:_:_:seed:)`` of the above.
    let digest: UInt64

    /// `digest` must be ``digest(_:_:_:seed:)`` of the same kind, label and dimensions.
    init(_ kind: Kind, _ label: String, _ dimensions: [(String, String)], digest: UInt64) {
        self.kind = kind
        self.label = label
        self.dimensions = dimensions
        self.digest = digest
    }

    /// A 64-bit digest of every byte of `kind`, `label` and `dimensions`, seeded by `seed` (the same
    /// for every key of one table).
    static func digest(_ kind: Kind, _ label: String, _ dimensions: [(String, String)], seed: UInt64) -> UInt64 {
        var digest = HandlerKeyDigest(kind: kind.rawValue, seed: seed)
        digest.absorb(label)
        for (name, value) in dimensions {
            digest.absorb(name)
            digest.absorb(value)
        }
        return digest.state
    }

    /// Whether this is the key of `kind`, `label` and `dimensions`, whose digest is `digest`: compares
    /// without building (or retaining the strings of) a second key.
    func matches(_ kind: Kind, _ label: String, _ dimensions: [(String, String)], digest: UInt64) -> Bool {
        self.digest == digest && self.kind == kind && self.label == label
            && self.dimensions.count == dimensions.count
            && zip(self.dimensions, dimensions).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }

    static func == (lhs: HandlerKey, rhs: HandlerKey) -> Bool {
        lhs.matches(rhs.kind, rhs.label, rhs.dimensions, digest: rhs.digest)
    }
}
