#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which per-CPU lane the calling thread uses: the number of the CPU it runs on (`sched_getcpu`, a
/// read of the kernel-maintained rseq area on glibc 2.35+), modulo the lane count. Where
/// `sched_getcpu` is not available (static binaries without `dlsym`, Darwin), a hash of the
/// thread's identity: threads then share a lane only when their hashes collide.
///
/// A value resolved once per process (``resolved``) and copied into each holder at its init, so that
/// picking a lane is one indirect call and an AND: reading the process-wide lazy value on every pick
/// would go through `swift_once`, which perf showed as a third of a lane pick.
struct CurrentCPU: @unchecked Sendable {
    // @unchecked: a C function pointer and an integer, both immutable.
    typealias CPUNumber = @convention(c) () -> Int32

    /// The lane count minus one; the lane count is a power of two at least the CPUs configured (2 … 64).
    private let mask: Int
    private let cpuNumber: CPUNumber

    /// The process's lane count and CPU lookup, resolved on first use.
    static let resolved = CurrentCPU()

    private init() {
        #if canImport(Darwin)
        let cpus = Int(sysconf(_SC_NPROCESSORS_CONF))
        #else
        let cpus = Int(sysconf(Int32(_SC_NPROCESSORS_CONF)))
        #endif
        var count = 2
        while count < min(cpus, 64) { count <<= 1 }
        mask = count - 1
        #if canImport(Glibc) || canImport(Musl)
        // Looked up at run time: the Glibc module does not import GNU extensions.
        if let schedGetCPU = dlsym(nil, "sched_getcpu") {
            cpuNumber = unsafeBitCast(schedGetCPU, to: CPUNumber.self)
            return
        }
        #endif
        cpuNumber = { Int32(truncatingIfNeeded: (CurrentThread.id &* 0x9E37_79B9_7F4A_7C15) >> 32) }
    }

    /// The number of lanes: a power of two.
    var laneCount: Int { mask &+ 1 }

    /// The calling thread's lane, in `0 ..< laneCount`.
    @inline(__always)
    func lane() -> Int {
        Int(cpuNumber()) & mask
    }
}
