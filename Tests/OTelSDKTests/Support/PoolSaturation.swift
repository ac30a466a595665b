import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Occupies every thread of Swift's global cooperative pool with tasks that never suspend, the way
/// CPU-bound application code does, until a condition holds.
///
/// No clock is involved: each task stops as soon as `until()` is true, or after `budget` iterations
/// of `work`, a budget far larger than the fixed code needs. The result says which came first for each
/// task, so a test can require that the condition became true *while the pool was saturated*.
enum PoolSaturation {
    enum Ending: Equatable, Sendable {
        case conditionMet
        case budgetExhausted
    }

    /// One task per online processor: the width of the cooperative pool.
    static var poolWidth: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    static func run(budget: Int, until condition: @escaping @Sendable () -> Bool, work: @escaping @Sendable () -> Void) async -> [Ending] {
        await withTaskGroup(of: Ending.self) { group in
            for _ in 0..<poolWidth {
                group.addTask {
                    for _ in 0..<budget {
                        if condition() { return .conditionMet }
                        work()
                    }
                    return condition() ? .conditionMet : .budgetExhausted
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }
}

/// A flag tasks can share.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .acquiring) }

    func set() { value.store(true, ordering: .releasing) }
}
