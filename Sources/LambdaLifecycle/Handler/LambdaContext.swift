import Logging

/// What a handler knows about the invocation it serves, and its hook for post-response work.
///
/// Sendable: a handler may pass it to child tasks.
public struct LambdaContext: Sendable {
    /// The invocation being served (request id, deadline, invoked ARN, trace header).
    public let invocation: LambdaInvocation
    /// A logger whose metadata carries the request id.
    public let logger: Logger
    let deferred: DeferredActions

    init(invocation: LambdaInvocation, logger: Logger, deferred: DeferredActions = DeferredActions()) {
        self.invocation = invocation
        var logger = logger
        logger[metadataKey: "aws.request_id"] = "\(invocation.requestID)"
        self.logger = logger
        self.deferred = deferred
    }

    /// `Lambda-Runtime-Aws-Request-Id`.
    public var requestID: String { invocation.requestID }
    /// The function timeout instant, on the monotonic clock.
    public var deadline: ContinuousClock.Instant { invocation.deadline }
    /// The time left before the function times out.
    public var remainingTime: Duration { ContinuousClock.now.duration(to: invocation.deadline) }

    /// Queues `action` to run after the response has been posted (with the synchronous strategy: before it) and
    /// before Lambda may freeze the environment, ahead of the telemetry flush.
    ///
    /// Actions run one at a time, in the order they were queued, under the invocation's flush deadline
    /// (``FlushDeadline``). An action that throws is logged with its error and the next one runs; when the deadline
    /// passes, the running action is cancelled and the remaining ones are skipped (and logged). Telemetry recorded by
    /// the actions is flushed with the invocation's; an action runs in the `ServiceContext` that was current when it
    /// was queued, so its spans are children of the span that queued it.
    public func `defer`(_ action: @escaping @Sendable () async throws -> Void) {
        deferred.append(action)
    }
}
