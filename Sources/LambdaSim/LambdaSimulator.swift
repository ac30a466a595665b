import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A strict local Lambda: a front door for callers, and sandboxes that each run the function's `bootstrap` against
/// their own Runtime API (2018-06-01) and Extensions API (2020-01-01) server on 127.0.0.1.
///
/// ```swift
/// let simulator = try await LambdaSimulator.start(configuration: .init(bootstrap: "/path/to/bootstrap", port: 0))
/// let response = await simulator.invoke(payload: Array(#"{"hello":"world"}"#.utf8))
/// let report = await simulator.shutdown()
/// ```
///
/// ## Guarantees
/// - A caller gets the body the runtime posts at the moment it posts it; a function error as HTTP 200 with
///   `X-Amz-Function-Error: Unhandled`; 504 once it has waited ``LambdaSimConfiguration/gatewayTimeout`` (the
///   invocation keeps running).
/// - An invoke phase ends only when the runtime and every INVOKE-registered extension have called `next`; then,
///   with ``LambdaSimConfiguration/freeze``, the sandbox's process group is stopped (SIGSTOP) until its next
///   invocation (SIGCONT). One invocation at a time per sandbox; a new sandbox starts (cold) when all are busy and
///   the pool has room, otherwise invocations queue in arrival order.
/// - The function timeout bounds the whole invoke phase; at the timeout the sandbox is ended and the next invocation
///   starts a new one. Ending a sandbox sends SIGTERM and SIGKILL after ``LambdaSimConfiguration/shutdownGrace``
///   when an extension is registered, SIGKILL at once otherwise; every bootstrap is reaped.
/// - Flushes are learnt from the sandbox's own output (``LambdaSimReport/Flush``); a freeze, an INVOKE or a SIGKILL
///   while one runs is a ``LambdaSimReport/Violation``, judged after reading everything the sandbox wrote before.
///
/// ## Thread safety and lifetime
/// All methods may be called from any task. The simulator runs on an event loop thread of its own, plus one thread
/// per sandbox reading its output and one reaping it. Call ``shutdown()`` to stop it: nothing else ends the
/// sandboxes or the thread.
public final class LambdaSimulator: Sendable {
    /// The configuration the simulator runs with.
    public let configuration: LambdaSimConfiguration
    /// The front door's port on 127.0.0.1 (the OS-chosen one when ``LambdaSimConfiguration/port`` was 0).
    public let port: Int

    private let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop
    private let core: NIOLoopBound<SimulatorCore>
    private let finalReport = NIOLockedValueBox<LambdaSimReport?>(nil)

    private init(configuration: LambdaSimConfiguration, port: Int, group: MultiThreadedEventLoopGroup, core: NIOLoopBound<SimulatorCore>) {
        self.configuration = configuration
        self.port = port
        self.group = group
        self.loop = core.eventLoop
        self.core = core
    }

    /// Validates the configuration, binds the front door and returns once it listens. Sandboxes start on demand.
    ///
    /// - Throws: ``LambdaSimConfiguration/Invalid`` for a value that cannot work, or NIO's error when the port
    ///   cannot be bound.
    public static func start(configuration: LambdaSimConfiguration) async throws -> LambdaSimulator {
        try configuration.validate()
        let sink = try LogSink(configuration.sandboxLog)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        do {
            let core = try await loop.submit { SimulatorCore.make(loop: loop, configuration: configuration, sink: sink) }.get()
            let frontDoor = try await SimHTTPServer.bind(on: loop, port: configuration.port, maxBodyBytes: SimulatorCore.maxRequestBytes + 1) {
                { request, responder in core.value.handleFrontDoor(request, responder) }
            }.get()
            loop.execute { core.value.frontDoor = frontDoor }
            return LambdaSimulator(configuration: configuration, port: frontDoor.localAddress?.port ?? configuration.port, group: group, core: core)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Invokes the function as the front door does, and returns what its caller would get.
    ///
    /// - Parameter headers: caller headers; `X-Amzn-Trace-Id` becomes the invocation's trace header.
    public func invoke(payload: [UInt8], headers: [(String, String)] = []) async -> LambdaSimResponse {
        let core = self.core
        let loop = self.loop
        let answer = loop.flatSubmit {
            var buffer = ByteBuffer()
            buffer.writeBytes(payload)
            return core.value.invoke(payload: buffer, headers: HTTPHeaders(headers))
        }
        do {
            return try await answer.get()
        } catch {
            return SimulatorCore.errorResponse(503, APIError("Sandbox.ShuttingDown", "lambda-sim has shut down"))
        }
    }

    /// Returns when no invocation is queued or being served, that is when every invoke phase has ended (sandboxes
    /// are frozen, with freezing on). Returns at once when idle, and when the simulator shuts down.
    public func waitUntilIdle() async {
        let core = self.core
        try? await loop.flatSubmit { core.value.waitUntilIdle() }.get()
    }

    /// Returns once `POST /shutdown` arrives on the front door or ``requestShutdown()`` is called (at once if either
    /// happened before). Shutting down is still the caller's job: call ``shutdown()``.
    public func shutdownRequested() async {
        let core = self.core
        try? await loop.flatSubmit { core.value.waitForShutdownRequest() }.get()
    }

    /// Makes ``shutdownRequested()`` return (for signal handlers).
    public func requestShutdown() {
        let core = self.core
        loop.execute { core.value.requestShutdown() }
    }

    /// A snapshot of what was recorded so far.
    public func report() async -> LambdaSimReport {
        if let report = finalReport.withLockedValue({ $0 }) { return report }
        let core = self.core
        return (try? await loop.submit { core.value.report() }.get()) ?? finalReport.withLockedValue { $0! }
    }

    /// Lambda only shuts idle environments down: call ``waitUntilIdle()`` first to do the same, or a sandbox still in
    /// its invoke phase (for example flushing after its response) is ended in the middle of it.
    ///
    /// Stops the front door, answers queued invocations with 503, ends every sandbox (SIGCONT, then SIGTERM and
    /// SIGKILL after the grace when an extension is registered, SIGKILL otherwise), waits until every bootstrap is
    /// reaped and returns the final report. Later calls return the same report.
    public func shutdown() async -> LambdaSimReport {
        if let report = finalReport.withLockedValue({ $0 }) { return report }
        let core = self.core
        let report: LambdaSimReport
        do {
            report = try await loop.flatSubmit {
                let core = core.value
                return core.shutdown().assumeIsolated().map { core.report() }.nonisolated()
            }.get()
        } catch {
            // Another shutdown finished first and stopped the loop.
            return finalReport.withLockedValue { $0! }
        }
        finalReport.withLockedValue { $0 = $0 ?? report }
        try? await group.shutdownGracefully()
        return finalReport.withLockedValue { $0! }
    }
}
