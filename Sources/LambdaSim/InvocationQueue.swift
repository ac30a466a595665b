import DequeModule

/// The invocations of a run: the pending ones, waiting for a sandbox in arrival order, and the report's detail window
/// of them with the exact counts of those that left it. Lives on the simulator's loop.
///
/// ## Memory
/// The window holds the most recent ``LambdaSimConfiguration/retainedDetail`` invocations, and older ones only while
/// they are not over (a sandbox may still change their status); the others are counted in ``retiredTally`` and let go.
struct InvocationQueue {
    private let retainedDetail: Int
    /// Taken, not yet given to a sandbox; oldest first.
    private var pending: Deque<Invocation> = []
    /// The invocations not yet counted in ``retiredTally``, oldest first.
    private var window: Deque<Invocation> = []
    /// The counts of the invocations that left the window.
    private(set) var retiredTally = LambdaSimReport.Summary.zero

    init(retainedDetail: Int) {
        self.retainedDetail = retainedDetail
    }

    /// Whether an invocation waits for a sandbox.
    var hasPending: Bool { !pending.isEmpty }

    /// The timelines of the invocations in the window, oldest first.
    var timelines: [InvocationTimeline] { window.map(\.timeline) }

    /// Takes a new invocation, pending and in the window, and lets go of the oldest invocations beyond
    /// `retainedDetail` for which `isOver` holds (counting them in ``retiredTally``).
    mutating func enqueue(_ invocation: Invocation, isOver: (Invocation) -> Bool) {
        window.append(invocation)
        while window.count > retainedDetail, let oldest = window.first, isOver(oldest) {
            retiredTally.count(oldest.timeline)
            window.removeFirst()
        }
        pending.append(invocation)
    }

    /// The oldest pending invocation, taken out of the pending ones (it stays in the window).
    mutating func takeNext() -> Invocation? {
        pending.popFirst()
    }

    /// Every pending invocation, oldest first; none is pending afterwards.
    mutating func takeAllPending() -> Deque<Invocation> {
        defer { pending = [] }
        return pending
    }
}
