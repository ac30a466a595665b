#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import DequeModule
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
    private let sink: LogSink
    /// This core, for closures that must be `Sendable` (routes, reapers). Set to nil at the end of shutdown.
    private(set) var bound: NIOLoopBound<SimulatorCore>?
    var frontDoor: (any Channel)?

    /// Sandboxes in the pool (initializing, idle or invoking).
    private(set) var pool: [Sandbox] = []
    /// The sandboxes not yet retired: every one whose bootstrap has not been reaped.
    private var sandboxes: [Int: Sandbox] = [:]
    private var nextSandboxID = 1
    private var queue: [Invocation] = []
    /// The invocations not yet counted in `retiredTally`: the most recent `retainedDetail` ones, and older ones that
    /// are not over yet.
    private var invocations: Deque<Invocation> = []
    /// The counts of the invocations that left `invocations`.
    private var retiredTally = LambdaSimReport.Summary.zero
    private var violations: RecentWindow<LambdaSimReport.Violation>
    /// The records of the sandboxes whose bootstrap was reaped.
    private var retiredSandboxes: RecentWindow<LambdaSimReport.SandboxRecord>
    /// The flushes of those sandboxes, with the count their outputs had dropped already.
    private var retiredFlushes: RecentWindow<LambdaSimReport.Flush>
    private var retiredFlushesDropped = 0
    private var sandboxesStarted = 0
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
        self.violations = RecentWindow(limit: configuration.retainedDetail)
        self.retiredSandboxes = RecentWindow(limit: configuration.retainedDetail)
        self.retiredFlushes = RecentWindow(limit: configuration.retainedDetail)
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
        invocations.append(invocation)
        retireInvocations()
        invocation.gatewayTimer = loop.assumeIsolated().scheduleTask(in: TimeAmount(configuration.gatewayTimeout)) { [self] in
            guard !invocation.answered else { return }
            invocation.timeline.status = .gatewayTimeout
            let seconds = Self.seconds(configuration.gatewayTimeout)
            invocation.answerCaller(
                Self.errorResponse(504, APIError("GatewayTimeout", "no response within the gateway timeout of \(seconds) seconds")),
                atMs: now
            )
        }
        queue.append(invocation)
        dispatch()
        return promise.futureResult
    }

    /// Counts the oldest invocations beyond ``LambdaSimConfiguration/retainedDetail`` that are over, and lets them go.
    private func retireInvocations() {
        while invocations.count > configuration.retainedDetail, let oldest = invocations.first, isOver(oldest) {
            retiredTally.count(oldest.timeline)
            invocations.removeFirst()
        }
    }

    /// Whether nothing can change the invocation's status any more: its caller has the answer and no sandbox serves
    /// it (or is about to).
    private func isOver(_ invocation: Invocation) -> Bool {
        guard invocation.answered else { return false }
        guard let id = invocation.timeline.sandbox, let sandbox = sandboxes[id] else { return true }
        return sandbox.current !== invocation && sandbox.assigned !== invocation
    }

    /// Gives queued invocations to idle sandboxes, and starts sandboxes while the pool has room.
    private func dispatch() {
        while !shuttingDown, !queue.isEmpty {
            if let sandbox = pool.first(where: { $0.phase == .idle }) {
                deliver(queue.removeFirst(), to: sandbox)
            } else if pool.count < configuration.maxSandboxes {
                startSandbox(for: queue.removeFirst())
            } else {
                return
            }
        }
    }

    private func deliver(_ invocation: Invocation, to sandbox: Sandbox) {
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

    // MARK: Sandboxes

    private func startSandbox(for invocation: Invocation) {
        let sandbox = Sandbox(id: nextSandboxID, startedMs: now)
        nextSandboxID += 1
        sandboxes[sandbox.id] = sandbox
        pool.append(sandbox)
        sandbox.assigned = invocation
        invocation.timeline.sandbox = sandbox.id
        invocation.timeline.coldStart = true
        sandbox.initTimer = loop.assumeIsolated().scheduleTask(in: TimeAmount(configuration.initTimeout)) { [self] in
            guard sandbox.phase == .initializing else { return }
            if let invocation = sandbox.assigned {
                invocation.timeline.status = .timeout
                let error = APIError("Sandbox.Timedout", "Init timed out after \(Self.seconds(configuration.initTimeout)) seconds")
                invocation.answerWithFunctionError(body: error.json, errorType: error.errorType, atMs: now)
            }
            endSandbox(sandbox, reason: "initTimeout")
        }
        guard let bound else { return }
        let id = sandbox.id
        SimHTTPServer.bind(on: loop, port: 0, maxBodyBytes: Self.maxResponseBytes + 1) {
            { request, responder in bound.value.handleSandboxAPI(sandbox: id, request, responder) }
        }.assumeIsolated().whenComplete { [self] result in
            launch(sandbox, server: result)
        }
    }

    private func launch(_ sandbox: Sandbox, server result: Result<any Channel, any Error>) {
        let server: any Channel
        switch result {
        case .failure(let error):
            failLaunch(sandbox, APIError("Runtime.Unknown", "cannot serve the Runtime API: \(error)"))
            return
        case .success(let channel):
            server = channel
        }
        sandbox.server = server
        guard sandbox.phase != .ending, let port = server.localAddress?.port, let bound else {
            server.close(promise: nil)
            completeShutdownIfDone()
            return
        }
        let process: SandboxProcess
        sandbox.record.spawnedMs = now
        do {
            process = try SandboxProcess.spawn(
                path: configuration.bootstrap,
                arguments: configuration.bootstrapArguments,
                environment: LambdaEnvironment.make(
                    configuration: configuration, runtimeAPIPort: port, epochMilliseconds: SimClock.epochMilliseconds()
                )
            )
        } catch {
            failLaunch(sandbox, APIError("Runtime.InvalidEntrypoint", "\(error)"))
            return
        }
        sandbox.process = process
        sandboxesStarted += 1
        sandbox.record.pid = process.pid
        sandbox.output = SandboxOutput(
            sandbox: sandbox.id, descriptors: process.outputDescriptors, clock: clock, sink: sink,
            retainedFlushes: configuration.retainedDetail
        )
        let loop = self.loop
        let id = sandbox.id
        process.reap { status in
            loop.execute { bound.value.processExited(sandbox: id, status: status) }
        }
    }

    private func failLaunch(_ sandbox: Sandbox, _ error: APIError) {
        if let invocation = sandbox.assigned { failInvocation(invocation, body: error.json, errorType: error.errorType) }
        sandbox.assigned = nil
        endSandbox(sandbox, reason: "launchFailed")
    }

    /// Ends init once the runtime and every registered extension have called `next`; the sandbox then serves the
    /// invocation it was started for.
    func finishInitIfDone(_ sandbox: Sandbox) {
        guard sandbox.phase == .initializing, sandbox.initDone else { return }
        sandbox.initTimer?.cancel()
        let initDone = now
        sandbox.record.initDoneMs = initDone
        sandbox.record.initDurationMs = sandbox.record.spawnedMs.map { initDone - $0 }
        sandbox.phase = .idle
        if let invocation = sandbox.assigned {
            sandbox.assigned = nil
            deliver(invocation, to: sandbox)
        } else {
            dispatch()
            if sandbox.phase == .idle { freeze(sandbox, after: nil) }
        }
    }

    private func freeze(_ sandbox: Sandbox, after invocation: Invocation?) {
        guard configuration.freeze, !sandbox.frozen, !sandbox.exited, let process = sandbox.process else { return }
        process.stopGroup()  // first, so the output drained below is all there is until the thaw
        for flush in sandbox.output?.drain() ?? [] {
            recordViolation(.freezeWhileFlushing, flush: flush, sandbox: sandbox, invocation: invocation)
        }
        sandbox.frozen = true
        sandbox.frozenAfter = invocation
        invocation?.timeline.frozenMs = now
    }

    private func thaw(_ sandbox: Sandbox) {
        guard sandbox.frozen, let process = sandbox.process else { return }
        process.signalGroup(SIGCONT)
        sandbox.frozen = false
        sandbox.frozenAfter?.timeline.thawedMs = now
        sandbox.frozenAfter = nil
    }

    /// Takes a sandbox out of the pool and ends its process: SIGTERM, then SIGKILL after the grace, when an
    /// extension is registered; SIGKILL at once otherwise. An invocation it still owes an answer gets an error.
    func endSandbox(_ sandbox: Sandbox, reason: String) {
        guard sandbox.phase != .ending else { return }
        sandbox.phase = .ending
        sandbox.record.endReason = reason
        pool.removeAll { $0 === sandbox }
        sandbox.initTimer?.cancel()
        let invocation = sandbox.current ?? sandbox.assigned
        invocation?.functionTimer?.cancel()
        if let invocation, !invocation.answered {
            let error = APIError("Runtime.ExitError", "RequestId: \(invocation.requestID) Error: the sandbox ended (\(reason))")
            if reason == "shutdown" {
                invocation.answerWithFunctionError(body: error.json, errorType: error.errorType, atMs: now)
            } else {
                failInvocation(invocation, body: error.json, errorType: error.errorType)
            }
        }
        sandbox.current = nil
        sandbox.assigned = nil
        let target = invocation ?? sandbox.last
        if let process = sandbox.process, !sandbox.exited {
            thaw(sandbox)
            if sandbox.extensions.isEmpty {
                kill(sandbox, invocation: target)
            } else {
                process.signalGroup(SIGTERM)
                sandbox.record.sigtermMs = now
                if target?.timeline.killedMs == nil { target?.timeline.killedMs = now }
                sandbox.killTimer = loop.assumeIsolated().scheduleTask(in: TimeAmount(configuration.shutdownGrace)) { [self] in
                    kill(sandbox, invocation: target)
                }
            }
        } else if sandbox.process == nil {
            sandbox.server?.close(promise: nil)
        }
        dispatch()
        resumeIdleWaitersIfIdle()
        completeShutdownIfDone()
    }

    /// SIGKILL, judged exactly: the group is stopped first, so the output read before the kill is all there is.
    private func kill(_ sandbox: Sandbox, invocation: Invocation?) {
        guard !sandbox.exited, let process = sandbox.process else { return }
        process.stopGroup()
        for flush in sandbox.output?.drain() ?? [] {
            recordViolation(.killWhileFlushing, flush: flush, sandbox: sandbox, invocation: invocation)
        }
        process.signalGroup(SIGKILL)
        sandbox.record.sigkillMs = now
        if invocation?.timeline.killedMs == nil { invocation?.timeline.killedMs = now }
    }

    /// The reaper saw the bootstrap exit.
    func processExited(sandbox id: Int, status: String) {
        guard let sandbox = sandboxes[id] else { return }
        sandbox.exited = true
        sandbox.frozen = false
        sandbox.killTimer?.cancel()
        sandbox.record.exitedMs = now
        sandbox.record.exitStatus = status
        if sandbox.phase != .ending {
            if let invocation = sandbox.current ?? sandbox.assigned, !invocation.answered {
                let error = APIError("Runtime.ExitError", "RequestId: \(invocation.requestID) Error: Runtime exited with error: \(status)")
                failInvocation(invocation, body: error.json, errorType: error.errorType)
            }
            endSandbox(sandbox, reason: "exited")
        }
        sandbox.runtimeNext = nil
        for ext in sandbox.extensions { ext.pendingNext = nil }
        sandbox.server?.close(promise: nil)
        retire(sandbox)
        completeShutdownIfDone()
    }

    /// Keeps only the record and the flushes of a sandbox whose bootstrap was reaped. The pipes are drained first:
    /// the reading thread may not yet have read the last lines the bootstrap wrote before it exited (the final flush).
    private func retire(_ sandbox: Sandbox) {
        sandboxes[sandbox.id] = nil
        retiredSandboxes.append(sandbox.record)
        _ = sandbox.output?.drain()
        if let flushes = sandbox.output?.flushes {
            for flush in flushes.recent { retiredFlushes.append(flush) }
            retiredFlushesDropped += flushes.dropped
        }
    }

    private func recordViolation(
        _ kind: LambdaSimReport.Violation.Kind, flush: SandboxOutput.OpenFlush, sandbox: Sandbox, invocation: Invocation?
    ) {
        violations.append(
            .init(kind: kind, requestId: flush.requestId, sandbox: sandbox.id, atMs: now, flushStartMs: flush.startMs, invocation: invocation?.requestID)
        )
    }

    func sandbox(_ id: Int) -> Sandbox? { sandboxes[id] }

    // MARK: Waiting, shutdown and the report

    private var isIdle: Bool {
        queue.isEmpty && !pool.contains { $0.phase == .invoking || $0.assigned != nil }
    }

    /// Succeeds when no invocation is queued or being served (at once if none is).
    func waitUntilIdle() -> EventLoopFuture<Void> {
        let promise = loop.makePromise(of: Void.self)
        idleWaiters.append(promise)
        resumeIdleWaitersIfIdle()
        return promise.futureResult
    }

    private func resumeIdleWaitersIfIdle() {
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
        for invocation in queue {
            invocation.answerCaller(Self.errorResponse(503, APIError("Sandbox.ShuttingDown", "lambda-sim shut down before this invocation ran")), atMs: now)
        }
        queue = []
        for sandbox in pool { endSandbox(sandbox, reason: "shutdown") }
        resumeIdleWaitersIfIdle()
        completeShutdownIfDone()
        return promise.futureResult
    }

    private func completeShutdownIfDone() {
        guard shuttingDown, let shutdownDone else { return }
        let running = sandboxes.values.contains { sandbox in
            sandbox.process.map { _ in !sandbox.exited } ?? (sandbox.server == nil && sandbox.record.endReason != "launchFailed")
        }
        guard !running else { return }
        bound = nil
        shutdownDone.succeed()
    }

    /// A consistent snapshot of what was recorded so far: the exact counts, and the most recent detail.
    func report() -> LambdaSimReport {
        let limit = configuration.retainedDetail
        let timelines = invocations.map(\.timeline)
        var summary = retiredTally
        for timeline in timelines { summary.count(timeline) }
        summary.violations = violations.total
        summary.sandboxesStarted = sandboxesStarted

        var omitted = LambdaSimReport.Omitted()
        omitted.invocations = retiredTally.invocations
        omitted.violations = violations.dropped
        let running = sandboxes.values.sorted { $0.id < $1.id }
        var records = Array(retiredSandboxes.elements) + running.map(\.record)
        records.sort { $0.id < $1.id }
        omitted.sandboxes = retiredSandboxes.dropped

        var flushes = Array(retiredFlushes.elements)
        omitted.flushes = retiredFlushesDropped + retiredFlushes.dropped
        for sandbox in running {
            guard let own = sandbox.output?.flushes else { continue }
            flushes += own.recent
            omitted.flushes += own.dropped
        }
        flushes.sort { $0.start < $1.start }
        if flushes.count > limit {
            omitted.flushes += flushes.count - limit
            flushes.removeFirst(flushes.count - limit)
        }
        return LambdaSimReport(
            invocations: timelines, violations: Array(violations.elements), summary: summary, flushes: flushes,
            sandboxes: records, omitted: omitted
        )
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

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000
    }
}

/// The INVOKE event an extension's `next` returns.
struct InvokeEvent: Encodable {
    struct Tracing: Encodable {
        var type: String
        var value: String
    }

    var eventType = "INVOKE"
    var deadlineMs: Int64
    var requestId: String
    var invokedFunctionArn: String
    var tracing: Tracing
}
