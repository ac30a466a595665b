import DequeModule
import OTLPProto

/// The identities of the most recently accepted spans, at most ``capacity`` of them, to tell a span's first arrival
/// from a repeat in bounded memory (about 60 bytes per identity: the set's slot and the queue's entry).
///
/// When the window is full, remembering one more identity forgets the oldest (first in, first out). A span that
/// arrives again after its identity was forgotten counts as a first arrival; ``forgotten`` says how many identities
/// went that way, so a reader can tell whether a distinct count may include such repeats (`forgotten == 0`: it
/// cannot).
struct SpanIdentityWindow {
    /// The most identities held at once; 0 holds none (every span counts as a first arrival).
    let capacity: Int
    private var members: Set<OTLPSpanIdentity> = []
    private var order: Deque<OTLPSpanIdentity> = []
    /// Identities dropped to make room since the start or the last ``removeAll()``.
    private(set) var forgotten = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// Identities held now (at most ``capacity``).
    var count: Int { members.count }

    /// Remembers `span`; returns `true` when it was not held (a first arrival, or a repeat of a forgotten one).
    mutating func insert(_ span: OTLPSpanIdentity) -> Bool {
        guard members.insert(span).inserted else { return false }
        order.append(span)
        if order.count > capacity {
            members.remove(order.removeFirst())
            forgotten += 1
        }
        return true
    }

    /// Forgets everything and releases the storage.
    mutating func removeAll() {
        members = []
        order = []
        forgotten = 0
    }
}
