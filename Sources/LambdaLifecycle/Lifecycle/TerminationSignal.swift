import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls a handler once when the process receives SIGTERM (Lambda sends it at shutdown when an extension is
/// registered, then SIGKILL after the grace period). The default action (terminate at once) is disabled while the
/// handler is installed. Keep the value alive for as long as the handler should stay installed.
final class TerminationSignal {
    private let source: any DispatchSourceSignal

    init(_ handler: @escaping @Sendable () -> Void) {
        signal(SIGTERM, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        source.setEventHandler {
            handler()
        }
        source.resume()
    }

    deinit {
        source.cancel()
    }
}
