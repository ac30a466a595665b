import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The lock of one span, stored inline in the span (no allocation of its own).
///
/// A span is nearly always mutated by one task at a time, and each critical section is a few field
/// accesses, so the lock is one atomic compare-and-exchange to take and one store to release. When it
/// is contended, the waiter yields its thread until the holder is done. Built on `Atomic` with
/// acquire/release ordering, it is visible to the thread sanitizer (unlike `Synchronization.Mutex` on
/// Linux, whose futex it cannot see). Not reentrant.
struct SpanLock: ~Copyable {
    private let held = Atomic<Bool>(false)

    init() {}

    func lock() {
        while !held.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            while held.load(ordering: .relaxed) {
                sched_yield()
            }
        }
    }

    func unlock() {
        held.store(false, ordering: .releasing)
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
