#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOHTTP1

/// The simulator's state and every transition of it. Lives on one event loop: the front door, every sandbox's API
/// server and every timer run there, so the state needs no lock. Other threads (process reapers) hop onto the loop.
final class SimulatorCore {
    /// Largest response a runtime may post: 6 MiB + 100 bytes, as AWS's emulator enforces.
    static let maxResponseBytes = 6 * 1_024 * 1_024 + 100
    /// Largest invocation payload the front door takes (6 MB).
    static let maxRequestBytes = 6 * 1_024 * 1_024

    let loop: any EventLoop
    let configuration: LambdaSimConfiguration
    let clock: SimClock
    let sink: LogSink
    /// This core, for closures that must be `Sendable` (routes, reapers). Set to nil at the end of shutdown.
    private(set) var bound: NIOLoopBound<SimulatorCore>?
    var frontDoor: (any Channel)?

    /// The sandboxes not yet retired, and the pool.
    var sandboxes: SandboxPool
    /// The pending invocations and the report's window of them.
    var invocations: InvocationQueue
    /// The rest of what the report keeps.
    var ledger: ReportLedger
    private var shuttingDown = false
    private var shutdownRequested = false
    private var shutdownRequestWaiters: [EventLoopPromise<Void>] = []
    private var idleWaiters: [EventLoopPromise<Void>] = []
    private var shutdownDone: EventLoopPromise<Void>?

    private init(loop: any EventLoop, configuration: LambdaSimConfiguration, sink: LogSink) {
        self.loop = loop
        self.configuration = configuration
        self.clock = SimClock()
        self.sink = sink
        self.sandboxes = SandboxPool(maxSandboxes: configuration.maxSandboxes)
        self.invocations = InvocationQueue(retainedDetail: configuration.retainedDetail)
        self.ledger = ReportLedger(retainedDetail: configuration.retainedDetail)
    }

    /// Makes a core on `loop`; call on `loop`.
    static func make(loop: any EventLoop, configuration: LambdaSimConfiguration, sink: LogSink) -> NIOLoopBound<SimulatorCore> {
        let core = SimulatorCore(loop: loop, configuration: configuration, sink: sink)
        let bound = NIOLoopBound(core, eventLoop: loop)
        core.bound = bound
        return bound
    }

    var now: Double { clock.milliseconds() }

    // MARK: Invocations

    /// Takes an invocation: answers through the returned future when the runtime posts its response or error, at the
    /// function timeout, or with 504 at the gateway timeout.
    func invoke(payload: ByteBuffer, headers: HTTPHeaders) -> EventLoopFuture<LambdaSimResponse> {
        let promise = loop.makePromise(of: LambdaSimResponse.self)
        guard !shuttingDown else {
            promise.succeed(Self.errorResponse(503, APIError("Sandbox.ShuttingDown", "lambda-sim is shutting down")))
            return promise.futureResult
        }
        let epoch = SimClock.epochMilliseconds()
        let trace = TraceHeader.forInvocation(
            upstream: headers.first(name: "X-Amzn-Trace-Id").flatMap { $0.isEmpty ? nil : $0 },
            mode: configuration.tracing, form: configuration.traceHeaderForm, epochMilliseconds: epoch
        )
        let requestID = UUID().uuidString.lowercased()
        let invocation = Invocation(
            requestID: requestID, payload: payload, traceHeader: trace, answer: promise,
            timeline: InvocationTimeline(requestId: requestID, status: .incomplete, coldStart: false, receivedMs: now, receivedEpochMs: epoch)
        )
        invocations.enqueue(invocation, isOver: isOver)
        invocation.gatewayTimer = loop.assumeIsolated().scheduleTask(in: TimeAmount(configuration.gatewayTimeout)) { [self] in
            guard !invocation.answered else { return }
            invocation.timeline.status = .gatewayTimeout
            let seconds = Self.seconds(configuration.gatewayTimeout)
            invocation.answerCaller(
                Self.errorResponse(504, APIError("GatewayTimeout", "no response within the gateway timeout of \(seconds) seconds")),
                atMs: now
            )
        }
        dispatch()
        return promise.futureResult
    }

    /// Whether nothing can change the invocation's status any more: its caller has the answer and no sandbox serves
    /// it (or is about to). Such an invocation may leave the report's window.
    private func isOver(_ invocation: Invocation) -> Bool {
        guard invocation.answered else { return false }
        guard let id = invocation.timeline.sandbox, let sandbox = sandboxes[id] else { return true }
        return sandbox.current !== invocation && sandbox.assigned !== invocation
    }

    /// Gives queued invocations to idle sandboxes, and starts sandboxes while the pool has room.
    func dispatch() {
        while !shuttingDown, invocations.hasPending {
            let idle = sandboxes.firstIdle
            guard idle != nil || sandboxes.hasRoom, let invocation = invocations.takeNext() else { return }
            if let idle {
                deliver(invocation, to: idle)
            } else {
                startSandbox(for: invocation)
            }
        }
    }

    /// Starts the invoke phase of `invocation` in `sandbox` (idle, or just initialized): thaws it, sends the INVOKE
    /// to the extensions and the runtime, and arms the function timeout.
    func deliver(_ invocation: Invocation, to sandbox: Sandbox) {
        thaw(sandbox)
        for flush in sandbox.output?.drain() ?? [] {
            recordViolation(.invokeWhileFlushing, flush: flush, sandbox: sandbox, invocation: invocation)
        }
        let epoch = SimClock.epochMilliseconds()
        invocation.deadlineEpochMs = epoch + Int64(configuration.functionTimeout.milliseconds)
        invocation.timeline.sandbox = sandbox.id
        invocation.timeline.invokeDeliveredMs = now
        invocation.timeline.deadlineEpochMs = invocation.deadlineEpochMs
        sandbox.phase = .invoking
        sandbox.current = invocation
        sandbox.last = invocation
        // Extensions first, then the runtime, as AWS's emulator does.
        for ext in sandbox.extensions where ext.subscribesToInvoke {
            invocation.extensionsPending.insert(ext.identifier)
            if let next = ext.pendingNext {
                ext.pendingNext = nil
                sendInvokeEvent(invocation, to: next)
            } else {
                invocation.extensionsOwedEvent.insert(ext.identifier)
            }
        }
        sandbox.runtimeNext?.respond(
            .ok,
            headers: [
                ("Lambda-Runtime-Aws-Request-Id", invocation.requestID),
                ("Lambda-Runtime-Deadline-Ms", String(invocation.deadlineEpochMs)),
                ("Lambda-Runtime-Invoked-Function-Arn", configuration.invokedFunctionARN),
                ("Lambda-Runtime-Trace-Id", invocation.traceHeader),
            ],
            body: invocation.payload
        )
        invocation.payload = ByteBuffer()
        sandbox.runtimeNext = nil
        invocation.functionTimer = loop.assumeIsolated().scheduleTask(in: TimeAmount(configuration.functionTimeout)) { [self] in
            functionTimedOut(invocation, in: sandbox)
        }
    }

    func sendInvokeEvent(_ invocation: Invocation, to next: SimHTTPResponder) {
        let event = InvokeEvent(
            deadlineMs: invocation.deadlineEpochMs,
            requestId: invocation.requestID,
            invokedFunctionArn: configuration.invokedFunctionARN,
            tracing: .init(type: "X-Amzn-Trace-Id", value: invocation.traceHeader)
        )
        next.respond(.ok, headers: [("Lambda-Extension-Event-Identifier", UUID().uuidString.lowercased())], body: JSON.encode(event))
    }

    /// Ends the invoke phase once the runtime has responded and called `next` and every INVOKE-registered extension
    /// has called `next`; then the sandbox takes the next queued invocation or freezes.
    func endInvokePhaseIfDone(_ sandbox: Sandbox) {
        guard sandbox.phase == .invoking, let invocation = sandbox.current, invocation.responded,
              sandbox.runtimeNext != nil, invocation.extensionsPending.isEmpty
        else { return }
        invocation.functionTimer?.cancel()
        sandbox.current = nil
        sandbox.phase = .idle
        dispatch()
        if sandbox.phase == .idle { freeze(sandbox, after: invocation) }
        resumeIdleWaitersIfIdle()
    }

    private func functionTimedOut(_ invocation: Invocation, in sandbox: Sandbox) {
        guard sandbox.current === invocation else { return }
        if invocation.timeline.status != .gatewayTimeout { invocation.timeline.status = .timeout }
        let error = APIError("Sandbox.Timedout", "Task timed out after \(Self.seconds(configuration.functionTimeout)) seconds")
        invocation.answerWithFunctionError(body: error.json, errorType: error.errorType, atMs: now)
        endSandbox(sandbox, reason: "timeout")
    }

    /// Answers an invocation that got a function error (posted, init error, too large a response…).
    func failInvocation(_ invocation: Invocation, body: [UInt8], errorType: String?) {
        if invocation.timeline.status == .incomplete { invocation.timeline.status = .error }
        invocation.answerWithFunctionError(body: body, errorType: errorType, atMs: now)
    }

    // MARK: Waiting, shutdown and the report

    private var isIdle: Bool {
        !invocations.hasPending && !sandboxes.isServing
    }

    /// Succeeds when no invocation is queued or being served (at once if none is).
    func waitUntilIdle() -> EventLoopFuture<Void> {
        let promise = loop.makePromise(of: Void.self)
        idleWaiters.append(promise)
        resumeIdleWaitersIfIdle()
        return promise.futureResult
    }

    func resumeIdleWaitersIfIdle() {
        guard isIdle || shuttingDown else { return }
        let waiters = idleWaiters
        idleWaiters = []
        waiters.forEach { $0.succeed() }
    }

    /// Succeeds once `POST /shutdown` arrived or ``requestShutdown()`` was called.
    func waitForShutdownRequest() -> EventLoopFuture<Void> {
        let promise = loop.makePromise(of: Void.self)
        shutdownRequestWaiters.append(promise)
        if shutdownRequested { requestShutdown() }
        return promise.futureResult
    }

    func requestShutdown() {
        shutdownRequested = true
        let waiters = shutdownRequestWaiters
        shutdownRequestWaiters = []
        waiters.forEach { $0.succeed() }
    }

    /// Stops taking invocations, answers the queued ones with 503, ends every sandbox and succeeds once every
    /// bootstrap has been reaped.
    func shutdown() -> EventLoopFuture<Void> {
        if let shutdownDone { return shutdownDone.futureResult }
        let promise = loop.makePromise(of: Void.self)
        shutdownDone = promise
        shuttingDown = true
        requestShutdown()
        frontDoor?.close(promise: nil)
        for invocation in invocations.takeAllPending() {
            invocation.answerCaller(Self.errorResponse(503, APIError("Sandbox.ShuttingDown", "lambda-sim shut down before this invocation ran")), atMs: now)
        }
        for sandbox in sandboxes.members { endSandbox(sandbox, reason: "shutdown") }
        resumeIdleWaitersIfIdle()
        completeShutdownIfDone()
        return promise.futureResult
    }

    func completeShutdownIfDone() {
        guard shuttingDown, let shutdownDone else { return }
        let running = sandboxes.running.contains { sandbox in
            sandbox.process.map { _ in !sandbox.exited } ?? (sandbox.server == nil && sandbox.record.endReason != "launchFailed")
        }
        guard !running else { return }
        bound = nil
        shutdownDone.succeed()
    }

    /// A consistent snapshot of what was recorded so far: the exact counts, and the most recent detail.
    func report() -> LambdaSimReport {
        ledger.report(invocations: invocations, running: sandboxes.running)
    }

    // MARK: Helpers

    static func errorResponse(_ status: Int, _ error: APIError) -> LambdaSimResponse {
        LambdaSimResponse(status: status, headers: [("Content-Type", "application/json")], body: error.json)
    }

    /// `3.00`: seconds with two decimals, as Lambda's timeout message writes them.
    static func seconds(_ duration: Duration) -> String {
        let hundredths = (duration.milliseconds + 5) / 10
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
