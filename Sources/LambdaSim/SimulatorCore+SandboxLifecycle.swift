#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// The lifecycle of a sandbox: start (Runtime API server, then the bootstrap), the end of init, freeze and thaw
/// between invocations, the end (SIGTERM with a grace, or SIGKILL), the reap and the retirement. Freezes and kills
/// stop the process group before reading its output, so a flush they interrupt is recorded as a violation exactly.
extension SimulatorCore {
    /// Starts a sandbox for `invocation` (a cold start): arms the init timeout, binds its Runtime API server, then
    /// launches the bootstrap.
    func startSandbox(for invocation: Invocation) {
        let sandbox = sandboxes.add(startedMs: now)
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
        ledger.countStartedSandbox()
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

    func freeze(_ sandbox: Sandbox, after invocation: Invocation?) {
        guard configuration.freeze, !sandbox.frozen, !sandbox.exited, let process = sandbox.process else { return }
        process.stopGroup()  // first, so the output drained below is all there is until the thaw
        for flush in sandbox.output?.drain() ?? [] {
            recordViolation(.freezeWhileFlushing, flush: flush, sandbox: sandbox, invocation: invocation)
        }
        sandbox.frozen = true
        sandbox.frozenAfter = invocation
        invocation?.timeline.frozenMs = now
    }

    func thaw(_ sandbox: Sandbox) {
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
        sandboxes.remove(sandbox)
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
        sandboxes.retire(sandbox)
        _ = sandbox.output?.drain()
        ledger.retire(sandbox.record, flushes: sandbox.output?.flushes)
    }

    /// Records that `kind` happened to `sandbox` while `flush` ran.
    func recordViolation(
        _ kind: LambdaSimReport.Violation.Kind, flush: SandboxOutput.OpenFlush, sandbox: Sandbox, invocation: Invocation?
    ) {
        ledger.record(
            .init(kind: kind, requestId: flush.requestId, sandbox: sandbox.id, atMs: now, flushStartMs: flush.startMs, invocation: invocation?.requestID)
        )
    }

    /// The sandbox with `id`, unless it is retired.
    func sandbox(_ id: Int) -> Sandbox? { sandboxes[id] }
}
