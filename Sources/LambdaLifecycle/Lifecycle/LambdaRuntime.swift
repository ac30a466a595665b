#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOConcurrencyHelpers
import NIOCore
import OTelSDK
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Lambda custom runtime (`provided.al2023`, executable `bootstrap`) that serves invocations with a handler and
/// flushes telemetry after each response, before Lambda may freeze the environment.
///
/// ```swift
/// let coordinator = FlushCoordinator(providers: [tracerProvider])
/// try await LambdaRuntime(telemetry: coordinator, handler: MyHandler()).run()
/// ```
///
/// ## Guarantees
/// - **The caller never waits for telemetry** (except with ``FlushStrategy/synchronous``): the response is posted as
///   soon as the handler returns.
/// - **Lambda never freezes the environment mid-flush, nor sends the next event on top of it**: exactly one place
///   calls `next` for the gated side (the internal extension's `event/next`, or with runtime gating the runtime's
///   `invocation/next`), and only after the invocation's drain (deferred actions, then
///   ``LambdaTelemetry/forceFlush(deadline:)``) has finished or reached its deadline,
///   `min(cap, invocation deadline - safety margin)`. What a deadline stops from being exported stays queued for the
///   next flush (the SDK's at-least-once rule).
/// - **Falls back, never fails**: if the internal extension cannot register, or its `next` fails, the lifecycle
///   goes on runtime-gated (said once in the log): no data lost, the function keeps serving.
/// - **One failed invocation never stops the loop**: a handler error is posted to `/error`; so is an invocation whose
///   metadata cannot be used (a deadline that is not a number), with the error type
///   ``LambdaAPIError/invalidInvocationErrorType``.
/// - **A bad answer from the Runtime API is not fatal**: a dropped connection, garbage, a 4xx or an event without a
///   request id make the runtime ask `next` again after a bounded back-off (`RuntimeNextRetry`).
/// - **SIGTERM** (sent at shutdown because the extension is registered): a final flush within
///   ``LambdaLifecycleConfiguration/shutdownBudget``, then exit 0. With
///   ``TerminationSignalHandling/serviceGroup`` the runtime installs no handler and leaves SIGTERM to the
///   `ServiceGroup` it runs in (see ``run()``).
/// - The internal extension registers before the runtime's first `next` (registration closes then).
///
/// `run()` returns when the Runtime API fails: it answers 500 (Lambda's contract: the runtime exits promptly), or
/// `next` has failed `RuntimeNextRetry.maxConsecutiveFailures` times in a row; and, inside a `ServiceGroup`, when the
/// group shuts down gracefully. Telemetry is flushed one last time first, once.
public final class LambdaRuntime: Sendable {
    typealias Action = LifecycleStateMachine.Action

    private let configuration: LambdaLifecycleConfiguration
    private let telemetry: any LambdaTelemetry
    private let handler: InvocationHandler
    private let environment: [String: String]
    private let diagnostics: Logger
    private let flushEvents: FlushEventLog
    /// The handlers' logger (``LambdaContext/logger``): through `LoggingSystem`, labelled with the function name.
    private let handlerLogger: Logger

    private let machine: NIOLockedValueBox<LifecycleStateMachine>
    /// Per invocation: its context until its drain (or deferred actions) ends, its result until it is posted.
    private let contexts = NIOLockedValueBox<[String: LambdaContext]>([:])
    private let results = NIOLockedValueBox<[String: Result<ByteBuffer, LambdaErrorDocument>]>([:])
    private let extensionIdentifier = NIOLockedValueBox<String?>(nil)
    private let actions: AsyncStream<Action>.Continuation
    private let actionStream: AsyncStream<Action>
    /// The final flush, started by the first of SIGTERM, a graceful shutdown and a fatal Runtime API answer.
    private let finalFlush = NIOLockedValueBox<Task<Void, Never>?>(nil)
    /// Set when the serving loop begins to stop: the API calls that fail from then on fail because it closes them.
    private let stopping = NIOLockedValueBox(false)
    private let nextRetry = RuntimeNextRetry()
    /// `next` calls that failed in a row without delivering an invocation.
    private let consecutiveNextFailures = NIOLockedValueBox(0)
    /// Ends the process after the SIGTERM flush (`exit`); tests observe it instead.
    private let exitProcess: @Sendable (Int32) -> Void
    /// Installs the SIGTERM handler and returns what keeps it installed (a ``TerminationSignal``); tests observe it
    /// instead.
    private let installTerminationHandler: @Sendable (@escaping @Sendable () -> Void) -> AnyObject?

    /// Invocations whose context, result or lifecycle state is still held (for tests: 0 once every invocation's
    /// drain has ended).
    var trackedInvocations: Int {
        contexts.withLockedValue { $0.count } + results.withLockedValue { $0.count } + machine.withLockedValue { $0.trackedInvocations }
    }

    /// Serves `handler`, which takes and returns raw bytes.
    ///
    /// - Parameters:
    ///   - configuration: strategy, flush cap and margin; by default read from the process environment.
    ///   - telemetry: what to flush after each invocation (normally a `FlushCoordinator` over every provider).
    ///   - handler: serves each invocation: the event's payload in, the response's bytes out.
    ///   - environment: the Lambda variables (`AWS_LAMBDA_RUNTIME_API`, `AWS_LAMBDA_FUNCTION_NAME`); the process
    ///     environment by default.
    ///   - diagnostics: where the lifecycle reports what went wrong (stderr by default, never the telemetry pipeline).
    public convenience init(
        configuration: LambdaLifecycleConfiguration = LambdaLifecycleConfiguration(environment: .process()),
        telemetry: any LambdaTelemetry,
        handler: some LambdaByteHandler,
        environment: [String: String] = OTelEnvironment.processEnvironment(),
        diagnostics: Logger = DiagnosticLogger.make()
    ) {
        let tracing = InvocationTracing(environment: environment)
        self.init(configuration: configuration, telemetry: telemetry, handler: InvocationHandler(handler, tracing: tracing), environment: environment, diagnostics: diagnostics)
    }

    /// Serves `handler`, which takes and returns JSON-coded values, decoded with `decoder` and encoded with `encoder`
    /// (configure them before passing them; the runtime never changes them).
    public convenience init<Handler: LambdaCodableHandler>(
        configuration: LambdaLifecycleConfiguration = LambdaLifecycleConfiguration(environment: .process()),
        telemetry: any LambdaTelemetry,
        handler: Handler,
        decoder: JSONDecoder = JSONDecoder(),
        encoder: JSONEncoder = JSONEncoder(),
        environment: [String: String] = OTelEnvironment.processEnvironment(),
        diagnostics: Logger = DiagnosticLogger.make()
    ) {
        let tracing = InvocationTracing(environment: environment)
        let invocationHandler = InvocationHandler(handler, decoder: decoder, encoder: encoder, tracing: tracing)
        self.init(configuration: configuration, telemetry: telemetry, handler: invocationHandler, environment: environment, diagnostics: diagnostics)
    }

    /// Serves `handler`, which takes JSON-coded events, decoded with `decoder`, and answers with an empty response.
    public convenience init<Handler: LambdaEventHandler>(
        configuration: LambdaLifecycleConfiguration = LambdaLifecycleConfiguration(environment: .process()),
        telemetry: any LambdaTelemetry,
        handler: Handler,
        decoder: JSONDecoder = JSONDecoder(),
        environment: [String: String] = OTelEnvironment.processEnvironment(),
        diagnostics: Logger = DiagnosticLogger.make()
    ) {
        let tracing = InvocationTracing(environment: environment)
        let invocationHandler = InvocationHandler(handler, decoder: decoder, tracing: tracing)
        self.init(configuration: configuration, telemetry: telemetry, handler: invocationHandler, environment: environment, diagnostics: diagnostics)
    }

    /// Serves a closure that takes and returns JSON-coded values (a ``LambdaCodableClosureHandler``):
    ///
    /// ```swift
    /// await LambdaRuntime(telemetry: coordinator) { (request: APIGatewayV2Request, context: LambdaContext) in
    ///     APIGatewayV2Response(statusCode: 200, body: "hello")
    /// }.run()
    /// ```
    public convenience init<Event: Decodable & Sendable, Output: Encodable & Sendable>(
        configuration: LambdaLifecycleConfiguration = LambdaLifecycleConfiguration(environment: .process()),
        telemetry: any LambdaTelemetry,
        decoder: JSONDecoder = JSONDecoder(),
        encoder: JSONEncoder = JSONEncoder(),
        environment: [String: String] = OTelEnvironment.processEnvironment(),
        diagnostics: Logger = DiagnosticLogger.make(),
        body: @escaping @Sendable (Event, LambdaContext) async throws -> Output
    ) {
        self.init(
            configuration: configuration, telemetry: telemetry, handler: LambdaCodableClosureHandler(body), decoder: decoder, encoder: encoder,
            environment: environment, diagnostics: diagnostics
        )
    }

    /// Serves a closure that takes JSON-coded events and returns nothing (a ``LambdaEventClosureHandler``); the
    /// response is empty:
    ///
    /// ```swift
    /// await LambdaRuntime(telemetry: coordinator) { (event: S3Event, context: LambdaContext) in
    ///     context.logger.info("\(event.records.count) objects")
    /// }.run()
    /// ```
    ///
    /// Disfavoured, so that a one-expression closure whose value is `Encodable` serves that value rather than
    /// discarding it.
    @_disfavoredOverload
    public convenience init<Event: Decodable & Sendable>(
        configuration: LambdaLifecycleConfiguration = LambdaLifecycleConfiguration(environment: .process()),
        telemetry: any LambdaTelemetry,
        decoder: JSONDecoder = JSONDecoder(),
        environment: [String: String] = OTelEnvironment.processEnvironment(),
        diagnostics: Logger = DiagnosticLogger.make(),
        body: @escaping @Sendable (Event, LambdaContext) async throws -> Void
    ) {
        self.init(
            configuration: configuration, telemetry: telemetry, handler: LambdaEventClosureHandler(body), decoder: decoder,
            environment: environment, diagnostics: diagnostics
        )
    }

    init(
        configuration: LambdaLifecycleConfiguration, telemetry: any LambdaTelemetry, handler: InvocationHandler, environment: [String: String], diagnostics: Logger,
        exitProcess: @escaping @Sendable (Int32) -> Void = { exit($0) },
        installTerminationHandler: @escaping @Sendable (@escaping @Sendable () -> Void) -> AnyObject? = { TerminationSignal($0) }
    ) {
        self.exitProcess = exitProcess
        self.installTerminationHandler = installTerminationHandler
        self.configuration = configuration
        self.telemetry = telemetry
        self.handler = handler
        self.environment = environment
        self.diagnostics = diagnostics
        self.flushEvents = FlushEventLog(isEnabled: configuration.logsFlushEvents)
        self.handlerLogger = Logger(label: environment["AWS_LAMBDA_FUNCTION_NAME"] ?? "lambda")
        self.machine = NIOLockedValueBox(LifecycleStateMachine(strategy: configuration.strategy))
        (actionStream, actions) = AsyncStream.makeStream(of: Action.self)
    }

    /// Registers the internal extension, then serves invocations until the Runtime API fails or, inside a
    /// `ServiceGroup`, until the group shuts down gracefully.
    ///
    /// On a graceful shutdown the runtime makes the final flush (the providers' shutdown within
    /// ``LambdaLifecycleConfiguration/shutdownBudget``, once, whatever triggered it), stops asking for invocations,
    /// fails its outstanding Runtime and Extensions API calls, and returns; it never calls `exit`. An invocation still
    /// running then is not waited for (Lambda sends SIGTERM only between invocations). Outside a `ServiceGroup` there
    /// is no graceful shutdown.
    public func run() async {
        let endpoint = environment["AWS_LAMBDA_RUNTIME_API"] ?? ""
        let runtimeClient: RuntimeAPIClient
        let extensionClient: ExtensionAPIClient
        do {
            runtimeClient = try RuntimeAPIClient(endpoint: endpoint)
            extensionClient = try ExtensionAPIClient(endpoint: endpoint)
        } catch {
            diagnostics.critical("cannot start the Lambda runtime: \(error)")
            return
        }
        if let override = configuration.strategyOverride {
            diagnostics.warning("\(override)")
        }
        let registrationFailure = await registerExtension(extensionClient)
        let termination: AnyObject? = switch configuration.terminationSignal {
        case .finalFlushThenExit: installTerminationHandler { [self] in terminationRequested() }
        case .serviceGroup: nil
        }
        dispatch(machine.withLockedValue { $0.start(extensionRegistered: registrationFailure == nil, registrationFailure: registrationFailure) })
        let clients = Clients(runtime: runtimeClient, extension: extensionClient)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await action in actionStream {
                    group.addTask { await self.perform(action, clients) }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: { [self] in
            Task { await self.stopServing(reason: "graceful shutdown", clients) }
        }
        withExtendedLifetime(termination) {}
    }

    /// Reports a failed initialisation to Lambda (`POST /runtime/init/error`) and exits the process with status 1.
    /// Lambda serves the error to the first invocation and starts a fresh environment for the next one.
    ///
    /// ```swift
    /// let handler: OrdersHandler
    /// do { handler = try await OrdersHandler.connect() } catch { await LambdaRuntime.failInitialization(error) }
    /// ```
    public static func failInitialization(
        _ error: any Error,
        environment: [String: String] = OTelEnvironment.processEnvironment(),
        diagnostics: Logger = DiagnosticLogger.make()
    ) async -> Never {
        let document = (error as? LambdaErrorDocument) ?? LambdaErrorDocument(error: error)
        diagnostics.critical("initialisation failed: \(document.errorType): \(document.errorMessage)")
        do {
            let client = try RuntimeAPIClient(endpoint: environment["AWS_LAMBDA_RUNTIME_API"] ?? "")
            try await client.postInitError(document)
        } catch {
            diagnostics.critical("POST /runtime/init/error failed: \(error)")
        }
        exit(1)
    }

    // MARK: - Start-up

    /// Registers the internal extension: for `INVOKE` when extension-gated; with no events otherwise, so that the
    /// process still gets SIGTERM at shutdown (Lambda sends it only when an extension is registered). Returns why it
    /// failed, or nil.
    private func registerExtension(_ client: ExtensionAPIClient) async -> String? {
        guard configuration.strategy != .periodic else { return "the periodic strategy uses no extension" }
        let events: [ExtensionAPIClient.EventType] = configuration.strategy == .extensionGated ? [.invoke] : []
        do {
            let registration = try await client.register(name: configuration.extensionName, events: events)
            extensionIdentifier.withLockedValue { $0 = registration.identifier }
            return nil
        } catch {
            diagnostics.error(
                "internal extension '\(configuration.extensionName)' could not register: \(error)",
                metadata: ["errorType": "\((error as? LambdaAPIError)?.errorType ?? "none")"]
            )
            return "the internal extension could not register (\(error))"
        }
    }

    // MARK: - Actions

    private struct Clients: Sendable {
        var runtime: RuntimeAPIClient
        var `extension`: ExtensionAPIClient

        /// Fails the calls still outstanding (the extension's `next`), so that `run()` can return.
        func close() async {
            await runtime.close()
            await `extension`.close()
        }
    }

    private func dispatch(_ next: [Action]) {
        for action in next {
            actions.yield(action)
        }
    }

    private func perform(_ action: Action, _ clients: Clients) async {
        switch action {
        case .callRuntimeNext:
            await nextInvocation(clients)
        case .callExtensionNext:
            await nextExtensionEvent(clients.extension)
        case .runHandler(let id):
            await runHandler(id)
        case .postResponse(let id):
            await postResult(id, clients)
        case .drain(let id, let invocationDeadline):
            await drain(id, invocationDeadline: invocationDeadline)
            dispatch(machine.withLockedValue { $0.drainFinished(id) })
        case .runDeferredActions(let id, let invocationDeadline):
            let deadline = configuration.flushDeadline.deadline(invocationDeadline: invocationDeadline, now: .now)
            await runDeferredActions(id, deadline: deadline)
            contexts.withLockedValue { _ = $0.removeValue(forKey: id) }
        case .announceFallback(let from, let to, let reason):
            diagnostics.warning("flush strategy \(from) unavailable, using \(to) for the rest of this environment's life: \(reason)")
        case .reportUnexpected(let description):
            diagnostics.error("Lambda lifecycle: unexpected event ignored: \(description)")
        }
    }

    private func nextInvocation(_ clients: Clients) async {
        let invocation: LambdaInvocation
        do {
            invocation = try await clients.runtime.nextInvocation()
        } catch LambdaAPIError.malformedInvocation(let id, let reason) {
            consecutiveNextFailures.withLockedValue { $0 = 0 }
            diagnostics.error("invocation \(id) cannot be served (\(reason)); reporting it as \(LambdaAPIError.invalidInvocationErrorType)")
            let document = LambdaErrorDocument(errorType: LambdaAPIError.invalidInvocationErrorType, errorMessage: reason)
            results.withLockedValue { $0[id] = .failure(document) }
            dispatch(machine.withLockedValue { $0.invalidInvocationReceived(id) })
            return
        } catch {
            guard !stopping.withLockedValue({ $0 }) else { return }
            let failures = consecutiveNextFailures.withLockedValue { failures in
                failures += 1
                return failures
            }
            guard !((error as? LambdaAPIError)?.isFatal ?? false), let delay = nextRetry.delay(afterFailures: failures) else {
                await exitOnRuntimeAPIFailure("GET /runtime/invocation/next failed (\(failures) in a row), the runtime exits: \(error)", clients)
                return
            }
            diagnostics.error("GET /runtime/invocation/next failed (\(failures) in a row), asking again in \(delay): \(error)")
            try? await Task.sleep(for: delay)
            actions.yield(.callRuntimeNext)
            return
        }
        consecutiveNextFailures.withLockedValue { $0 = 0 }
        TraceHeaderEnvironment.export(invocation.traceHeader)
        let context = LambdaContext(invocation: invocation, logger: handlerLogger)
        contexts.withLockedValue { $0[invocation.requestID] = context }
        dispatch(machine.withLockedValue { $0.invocationReceived(invocation.requestID, deadline: invocation.deadline) })
    }

    /// What Lambda's contract asks after a fatal Runtime API answer: the final flush, then `run()` returns.
    private func exitOnRuntimeAPIFailure(_ message: String, _ clients: Clients) async {
        diagnostics.critical("\(message)")
        await stopServing(reason: "Runtime API failure", clients)
    }

    /// The final flush, then the serving loop ends: no action is started any more, and the API calls still
    /// outstanding fail, so that `run()` returns.
    private func stopServing(reason: String, _ clients: Clients) async {
        stopping.withLockedValue { $0 = true }
        await shutDown(reason: reason)
        actions.finish()
        await clients.close()
    }

    private func nextExtensionEvent(_ client: ExtensionAPIClient) async {
        guard let identifier = extensionIdentifier.withLockedValue({ $0 }) else { return }
        do {
            switch try await client.nextEvent(identifier: identifier) {
            case .invoke(let id, let deadlineMs, _, _):
                dispatch(machine.withLockedValue { $0.extensionReceivedInvoke(id, deadline: LambdaClock.instant(epochMilliseconds: deadlineMs)) })
            case .shutdown(let reason, _):
                // Internal extensions cannot subscribe to SHUTDOWN; if an API sends it anyway, the loop stops and the
                // lifecycle goes on without the extension, as after a failure: nothing waits for its INVOKEs.
                diagnostics.warning("internal extension received SHUTDOWN (\(reason)); its loop stops")
                dispatch(machine.withLockedValue { $0.extensionFailed("the internal extension received SHUTDOWN (\(reason))") })
            }
        } catch {
            guard !stopping.withLockedValue({ $0 }) else { return }
            diagnostics.error(
                "GET /extension/event/next failed: \(error)",
                metadata: ["errorType": "\((error as? LambdaAPIError)?.errorType ?? "none")"]
            )
            dispatch(machine.withLockedValue { $0.extensionFailed("GET /extension/event/next failed: \(error)") })
        }
    }

    private func runHandler(_ id: String) async {
        guard let context = contexts.withLockedValue({ $0[id] }) else { return }
        let result = await handler.run(context.invocation, context)
        results.withLockedValue { $0[id] = result }
        dispatch(machine.withLockedValue { $0.handlerFinished(id) })
    }

    private func postResult(_ id: String, _ clients: Clients) async {
        let client = clients.runtime
        let result = results.withLockedValue { $0.removeValue(forKey: id) }
        do {
            switch result {
            case .success(let body):
                try await client.postResponse(requestID: id, body: body)
            case .failure(let document):
                try await client.postError(requestID: id, error: document)
            case nil:
                try await client.postError(requestID: id, error: LambdaErrorDocument(errorType: "Runtime.MissingResult", errorMessage: "the handler produced no result"))
            }
        } catch let error as LambdaAPIError where error.isFatal {
            await exitOnRuntimeAPIFailure("posting the result of invocation \(id) failed, the runtime exits: \(error)", clients)
            return
        } catch {
            diagnostics.error("posting the result of invocation \(id) failed: \(error)")
        }
        dispatch(machine.withLockedValue { $0.responsePosted(id) })
    }

    // MARK: - Drain

    /// Deferred actions in order, then the telemetry flush, all by the invocation's flush deadline.
    private func drain(_ id: String, invocationDeadline: ContinuousClock.Instant) async {
        let start = ContinuousClock.now
        let deadline = configuration.flushDeadline.deadline(invocationDeadline: invocationDeadline, now: start)
        flushEvents.started(id)
        await runDeferredActions(id, deadline: deadline)
        let report = await telemetry.forceFlush(deadline: deadline)
        contexts.withLockedValue { _ = $0.removeValue(forKey: id) }
        let total = FlushResult.combining(report.entries.map(\.result))
        flushEvents.finished(
            id, outcome: "\(total.outcome)", duration: ContinuousClock.now - start,
            exported: total.exported, pending: total.pending, dropped: total.dropped
        )
    }

    private func runDeferredActions(_ id: String, deadline: ContinuousClock.Instant) async {
        guard let pending = contexts.withLockedValue({ $0[id]?.deferred.take() }), !pending.isEmpty else { return }
        for (index, action) in pending.enumerated() {
            // The deadline runs on the SDK's flush thread; the action itself on the global pool, so that a user
            // action that hogs its thread cannot hold back the deadline.
            let outcome: Result<Void, any Error>? = await raceDeadline(deadline) {
                let task = Task(executorPreference: globalConcurrentExecutor) { () -> Result<Void, any Error> in
                    do {
                        try await action()
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                }
                return await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
            }
            switch outcome {
            case .success:
                continue
            case .failure(let error):
                diagnostics.error("deferred action \(index + 1) of \(pending.count) for invocation \(id) failed: \(error)")
            case nil:
                diagnostics.error("deferred action \(index + 1) of \(pending.count) for invocation \(id) reached the flush deadline; \(pending.count - index - 1) not run")
                return
            }
        }
    }

    // MARK: - Shutdown

    /// What SIGTERM does: the final flush, then exit 0.
    func terminationRequested() {
        Task {
            await self.shutDown(reason: "SIGTERM")
            self.exitProcess(0)
        }
    }

    /// The final flush: made once, by the first caller; later callers wait for it to end. In a task of its own, so
    /// that a cancelled caller (the serving loop's tasks are cancelled when it ends) does not cut it short; the
    /// shutdown budget bounds it.
    private func shutDown(reason: String) async {
        let flush = finalFlush.withLockedValue { flush in
            if let flush { return flush }
            let started = Task { await self.flushFinally(reason: reason) }
            flush = started
            return started
        }
        await flush.value
    }

    private func flushFinally(reason: String) async {
        let start = ContinuousClock.now
        flushEvents.started("shutdown")
        let report = await telemetry.shutdown(deadline: start + configuration.shutdownBudget)
        let total = FlushResult.combining(report.entries.map(\.result))
        flushEvents.finished(
            "shutdown", outcome: "\(total.outcome)", duration: ContinuousClock.now - start,
            exported: total.exported, pending: total.pending, dropped: total.dropped
        )
        diagnostics.info("\(reason): final flush \(total.outcome) in \(ContinuousClock.now - start)")
    }
}
