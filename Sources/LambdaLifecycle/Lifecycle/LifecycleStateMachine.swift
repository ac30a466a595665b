/// The lifecycle of one Lambda execution environment, as a value: which call comes next, for every strategy.
///
/// Two loops share it: the **runtime loop** (`invocation/next` → handler → `/response`) and the **internal
/// extension loop** (`event/next` → INVOKE → wait for that invocation's response → flush → `event/next`). Each method
/// takes one thing that happened and returns what must be done now; the driver (``LambdaLifecycle``) performs the
/// actions, concurrently, and reports back. The machine does no I/O and has no clock, so every ordering can be tested
/// as a table.
///
/// The invariant it keeps: **exactly one place calls `next` for the gated side, and it calls it again only when the
/// previous invocation's handler has responded and its flush has finished** (or hit its deadline, which the driver
/// enforces). Events may arrive in any order Lambda allows: the extension's INVOKE before or after the runtime's
/// event, the response before or after the INVOKE, a flush that outlives the next event's arrival.
struct LifecycleStateMachine: Sendable {
    typealias RequestID = String

    enum Action: Sendable, Equatable {
        /// `GET /runtime/invocation/next`.
        case callRuntimeNext
        /// `GET /extension/event/next`.
        case callExtensionNext
        /// Run the handler for the invocation the runtime just received.
        case runHandler(RequestID)
        /// Post the handler's result (`/response` or `/error`).
        case postResponse(RequestID)
        /// Run the invocation's deferred actions, then flush telemetry, bounded by the invocation's deadline.
        case drain(RequestID, invocationDeadline: ContinuousClock.Instant)
        /// Run the invocation's deferred actions only (``FlushStrategy/periodic``: telemetry leaves on its schedule).
        case runDeferredActions(RequestID, invocationDeadline: ContinuousClock.Instant)
        /// The configured strategy cannot be used; say why, once, and go on with the fallback.
        case announceFallback(from: FlushStrategy, to: FlushStrategy, reason: String)
        /// An event arrived that the lifecycle does not allow in the current state; it was ignored.
        case reportUnexpected(String)
    }

    private enum RuntimeState: Equatable {
        case starting
        case waitingForEvent
        case handling(RequestID)
        case drainingBeforeResponse(RequestID)
        case posting(RequestID)
        case drainingBeforeNext(RequestID)
    }

    private enum ExtensionState: Equatable {
        case unregistered
        case waitingForEvent
        case awaitingResponse(RequestID)
        case draining(RequestID)
        case failed
    }

    /// The strategy in force (the configured one, or its fallback).
    private(set) var strategy: FlushStrategy
    private var runtime = RuntimeState.starting
    private var extensionLoop = ExtensionState.unregistered
    /// Responses posted before the extension received the INVOKE event for them (the runtime can be faster).
    private var respondedBeforeInvoke: [RequestID] = []
    /// Invocation deadlines, kept until the invocation's drain has begun.
    private var deadlines: [RequestID: ContinuousClock.Instant] = [:]

    init(strategy: FlushStrategy) {
        self.strategy = strategy
    }

    /// Invocations the machine holds state for (a deadline, or a response waiting for its INVOKE).
    var trackedInvocations: Int { deadlines.count + respondedBeforeInvoke.count }

    /// Whether a drain (deferred actions + flush) is gating the next `next` call right now.
    var isGatingOnDrain: Bool {
        if case .draining = extensionLoop { return true }
        switch runtime {
        case .drainingBeforeNext, .drainingBeforeResponse: return true
        default: return false
        }
    }

    /// Initialisation is done. `extensionRegistered` tells whether the internal extension registered (it must have
    /// tried before this call: registration closes at the runtime's first `next`).
    mutating func start(extensionRegistered: Bool, registrationFailure: String? = nil) -> [Action] {
        guard runtime == .starting else { return [.reportUnexpected("start called twice")] }
        var actions: [Action] = []
        if extensionRegistered {
            extensionLoop = .waitingForEvent
            actions.append(.callExtensionNext)
        } else if strategy == .extensionGated {
            strategy = .runtimeGated
            actions.append(.announceFallback(from: .extensionGated, to: .runtimeGated, reason: registrationFailure ?? "the extension did not register"))
        }
        runtime = .waitingForEvent
        actions.append(.callRuntimeNext)
        return actions
    }

    /// The runtime's `next` returned an invocation.
    mutating func invocationReceived(_ id: RequestID, deadline: ContinuousClock.Instant) -> [Action] {
        guard runtime == .waitingForEvent else { return [.reportUnexpected("invocation \(id) arrived while the runtime was \(runtime)")] }
        deadlines[id] = deadline
        runtime = .handling(id)
        return [.runHandler(id)]
    }

    /// The runtime's `next` returned an invocation that cannot be served (it has a request id, but metadata that
    /// cannot be used): no handler runs, its error is posted at once, and the lifecycle goes on as after any result.
    mutating func invalidInvocationReceived(_ id: RequestID) -> [Action] {
        guard runtime == .waitingForEvent else { return [.reportUnexpected("invalid invocation \(id) arrived while the runtime was \(runtime)")] }
        runtime = .posting(id)
        return [.postResponse(id)]
    }

    /// The handler returned (or threw) for `id`; its result is ready to post.
    mutating func handlerFinished(_ id: RequestID) -> [Action] {
        guard runtime == .handling(id) else { return [.reportUnexpected("handler for \(id) finished while the runtime was \(runtime)")] }
        if strategy.gate == .response {
            runtime = .drainingBeforeResponse(id)
            return [drain(id)]
        }
        runtime = .posting(id)
        return [.postResponse(id)]
    }

    /// The result for `id` was posted (or posting failed: the invocation is over either way).
    mutating func responsePosted(_ id: RequestID) -> [Action] {
        guard runtime == .posting(id) else { return [.reportUnexpected("response for \(id) posted while the runtime was \(runtime)")] }
        switch strategy.gate {
        case .response:
            runtime = .waitingForEvent
            return [.callRuntimeNext]
        case .runtimeNext:
            runtime = .drainingBeforeNext(id)
            return [drain(id)]
        case .none:
            runtime = .waitingForEvent
            let deadline = deadlines.removeValue(forKey: id) ?? .now
            return [.runDeferredActions(id, invocationDeadline: deadline), .callRuntimeNext]
        case .earlyNext:
            runtime = .waitingForEvent
            return [drain(id), .callRuntimeNext]
        case .extensionNext:
            runtime = .waitingForEvent
            if extensionLoop == .awaitingResponse(id) {
                extensionLoop = .draining(id)
                return [drain(id), .callRuntimeNext]
            }
            respondedBeforeInvoke.append(id)
            return [.callRuntimeNext]
        }
    }

    /// The extension's `next` returned INVOKE for `id`.
    mutating func extensionReceivedInvoke(_ id: RequestID, deadline: ContinuousClock.Instant) -> [Action] {
        guard extensionLoop == .waitingForEvent else {
            return [.reportUnexpected("INVOKE \(id) arrived while the extension was \(extensionLoop)")]
        }
        guard strategy == .extensionGated else {
            // Registered without INVOKE (for SIGTERM only) or already fallen back: acknowledge at once.
            return [.callExtensionNext]
        }
        if deadlines[id] == nil { deadlines[id] = deadline }
        if let index = respondedBeforeInvoke.firstIndex(of: id) {
            respondedBeforeInvoke.remove(at: index)
            extensionLoop = .draining(id)
            return [drain(id)]
        }
        extensionLoop = .awaitingResponse(id)
        return []
    }

    /// The extension's `next` failed (the API refused it or the connection broke) or brought SHUTDOWN, which ends its
    /// loop. The extension is not used again;
    /// an extension-gated lifecycle falls back to runtime-gated, and responses already posted are drained at once.
    mutating func extensionFailed(_ reason: String) -> [Action] {
        extensionLoop = .failed
        guard strategy == .extensionGated else { return [] }
        strategy = .runtimeGated
        let orphaned = respondedBeforeInvoke
        respondedBeforeInvoke = []
        return [.announceFallback(from: .extensionGated, to: .runtimeGated, reason: reason)] + orphaned.map { drain($0) }
    }

    /// The drain of `id` finished (or reached its deadline).
    mutating func drainFinished(_ id: RequestID) -> [Action] {
        switch (runtime, extensionLoop) {
        case (.drainingBeforeResponse(id), _):
            runtime = .posting(id)
            return [.postResponse(id)]
        case (.drainingBeforeNext(id), _):
            runtime = .waitingForEvent
            return [.callRuntimeNext]
        case (_, .draining(id)):
            extensionLoop = .waitingForEvent
            return [.callExtensionNext]
        default:
            return []  // a background drain (early-next, or orphaned by an extension failure)
        }
    }

    private mutating func drain(_ id: RequestID) -> Action {
        .drain(id, invocationDeadline: deadlines.removeValue(forKey: id) ?? .now)
    }
}
