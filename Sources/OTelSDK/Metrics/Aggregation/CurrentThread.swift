#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The calling thread's identity as a word: `pthread_self()`, never 0 (a pointer to the thread's
/// control block on glibc, musl and Darwin), and unique among the threads alive at once. A thread
/// that ended may hand its value on to a new one.
enum CurrentThread {
    @inline(__always)
    static var id: UInt {
        #if canImport(Darwin)
        UInt(bitPattern: pthread_self())
        #else
        UInt(pthread_self())
        #endif
    }
}
