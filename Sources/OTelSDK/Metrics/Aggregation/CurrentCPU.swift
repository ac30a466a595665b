#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which lane of a ``CPULanes`` the calling thread uses: the number of the CPU it runs on
/// (`sched_getcpu`, a read of the kernel-maintained rseq area on glibc 2.35+), modulo the lane count.
/// Where `sched_getcpu` is not available (static binaries without `dlsym`, Darwin), a hash of the
/// thread's identity: threads then share a lane only when their hashes collide.
enum CurrentCPU {
    /// A power of two at least the number of CPUs configured (2 … 64).
    static let laneCount: Int = {
        #if canImport(Darwin)
        let cpus = Int(sysconf(_SC_NPROCESSORS_CONF))
        #else
        let cpus = Int(sysconf(Int32(_SC_NPROCESSORS_CONF)))
        #endif
        var count = 2
        while count < min(cpus, 64) { count <<= 1 }
        return count
    }()

    private typealias SchedGetCPU = @convention(c) () -> Int32

    /// `sched_getcpu` looked up at run time: the Glibc module does not import GNU extensions.
    private static let schedGetCPU: SchedGetCPU? = {
        #if canImport(Glibc) || canImport(Musl)
        return dlsym(nil, "sched_getcpu").map { unsafeBitCast($0, to: SchedGetCPU.self) }
        #else
        return nil
        #endif
    }()

    @inline(__always)
    static func lane() -> Int {
        let mask = laneCount &- 1
        if let schedGetCPU {
            return Int(schedGetCPU()) & mask
        }
        #if canImport(Darwin)
        let thread = UInt(bitPattern: pthread_self())
        #else
        let thread = UInt(pthread_self())
        #endif
        return Int(truncatingIfNeeded: (thread &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }
}
