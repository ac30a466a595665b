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
    private let digest: UInt64

    /// `seed` seeds the digest: the same for every key of one table.
    init(kind: Kind, label: String, dimensions: [(String, String)], seed: UInt64) {
        self.kind = kind
        self.label = label
        self.dimensions = dimensions
        var digest = HandlerKeyDigest(kind: kind.rawValue, seed: seed)
        digest.absorb(label)
        for (name, value) in dimensions {
            digest.absorb(name)
            digest.absorb(value)
        }
        self.digest = digest.state
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }

    static func == (lhs: HandlerKey, rhs: HandlerKey) -> Bool {
        lhs.digest == rhs.digest && lhs.kind == rhs.kind && lhs.label == rhs.label
            && lhs.dimensions.count == rhs.dimensions.count
            && zip(lhs.dimensions, rhs.dimensions).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}
