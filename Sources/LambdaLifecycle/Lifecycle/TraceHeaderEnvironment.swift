import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Exports each invocation's X-Ray trace header as the `_X_AMZN_TRACE_ID` environment variable (Lambda's runtime
/// contract), in memory that stays bounded however many invocations a warm sandbox serves.
///
/// `setenv` cannot be used for this: glibc keeps a copy of every distinct value it was ever given, so that pointers
/// returned by earlier `getenv` calls stay valid, and every invocation's header is distinct: about 150 bytes lost
/// per invocation, for as long as the sandbox lives. Instead two buffers, owned for the life of the process, take
/// turns: the new value is written into the one that is not in the environment, which is then installed with
/// `putenv` (which stores the pointer and copies nothing).
///
/// Guarantees:
/// - Memory is bounded: the two buffers only grow (by doubling) when a header is longer than any before.
/// - A pointer returned by `getenv` stays readable and unchanged until the next-but-one ``export(_:)``.
/// - Thread safety: calls are serialised by a lock. Like `setenv`, it must not race with other code that modifies
///   the same variable; the runtime calls it between invocations, before the handler runs.
enum TraceHeaderEnvironment {
    static let variable = "_X_AMZN_TRACE_ID"

    /// Sets `_X_AMZN_TRACE_ID` to `header`, or removes it when `header` is nil.
    static func export(_ header: String?) {
        buffers.withLockedValue { buffers in
            guard let header else {
                unsetenv(variable)
                buffers.installed = nil
                return
            }
            let entry = Array("\(variable)=\(header)".utf8CString)
            let slot = buffers.installed == 0 ? 1 : 0
            buffers.reserve(entry.count, in: slot)
            entry.withUnsafeBufferPointer { bytes in
                buffers.slots[slot].pointer.update(from: bytes.baseAddress!, count: bytes.count)
            }
            putenv(buffers.slots[slot].pointer)
            buffers.installed = slot
        }
    }

    /// The two `NAME=value` buffers; never freed, because the process environment may point into them.
    private struct Buffers: @unchecked Sendable {  // the pointers are only used under `TraceHeaderEnvironment.buffers`' lock
        var slots: [(pointer: UnsafeMutablePointer<CChar>, capacity: Int)]
        /// The slot the environment points to, if any.
        var installed: Int?

        init(capacity: Int) {
            slots = (0..<2).map { _ in (UnsafeMutablePointer<CChar>.allocate(capacity: capacity), capacity) }
        }

        /// Makes `slot` hold at least `count` bytes. The buffer it replaces is not freed: a `getenv` result may
        /// still point into it. Growth doubles, so this happens a handful of times in a process's life at most.
        mutating func reserve(_ count: Int, in slot: Int) {
            guard count > slots[slot].capacity else { return }
            let capacity = max(count, slots[slot].capacity * 2)
            slots[slot] = (UnsafeMutablePointer<CChar>.allocate(capacity: capacity), capacity)
        }
    }

    /// Room for Lambda's usual header (`Root=1-…;Parent=…;Sampled=1;Lineage=…`, about 120 bytes).
    private static let buffers = NIOLockedValueBox(Buffers(capacity: 256))
}
