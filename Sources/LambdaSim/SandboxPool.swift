/// The sandboxes of a run that are not retired, and which of them are in the pool. Lives on the simulator's loop.
///
/// A sandbox is in the pool from its start until it ends (initializing, idle or invoking); it stays known until its
/// bootstrap is reaped, then ``retire(_:)`` lets it go.
struct SandboxPool {
    private let maxSandboxes: Int
    /// The pool, in start order.
    private(set) var members: [Sandbox] = []
    /// Every sandbox not yet retired, by id.
    private var unretired: [Int: Sandbox] = [:]
    private var nextID = 1

    init(maxSandboxes: Int) {
        self.maxSandboxes = maxSandboxes
    }

    /// Whether the pool can take another sandbox (``LambdaSimConfiguration/maxSandboxes``).
    var hasRoom: Bool { members.count < maxSandboxes }

    /// The first idle sandbox of the pool, if any.
    var firstIdle: Sandbox? { members.first { $0.phase == .idle } }

    /// Whether a sandbox of the pool serves an invocation or is starting for one.
    var isServing: Bool { members.contains { $0.phase == .invoking || $0.assigned != nil } }

    /// The sandboxes not yet retired, by id.
    var running: [Sandbox] { unretired.values.sorted { $0.id < $1.id } }

    /// The sandbox with `id`, unless it is retired.
    subscript(id: Int) -> Sandbox? { unretired[id] }

    /// A new sandbox with the next id, in the pool.
    mutating func add(startedMs: Double) -> Sandbox {
        let sandbox = Sandbox(id: nextID, startedMs: startedMs)
        nextID += 1
        unretired[sandbox.id] = sandbox
        members.append(sandbox)
        return sandbox
    }

    /// Takes `sandbox` out of the pool; it stays known until ``retire(_:)``.
    mutating func remove(_ sandbox: Sandbox) {
        members.removeAll { $0 === sandbox }
    }

    /// Forgets `sandbox`, whose bootstrap was reaped.
    mutating func retire(_ sandbox: Sandbox) {
        unretired[sandbox.id] = nil
    }
}
