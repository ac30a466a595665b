/// Who answers SIGTERM. Lambda sends it to the runtime process at shutdown (because the runtime registers an internal
/// extension), then SIGKILL when the Shutdown phase ends: 500 ms in all with internal extensions only; 300 ms for the
/// runtime (500 ms with an internal extension) when an external one is registered.
///
/// Set in code, never read from the environment: it must agree with the code that starts the runtime. With
/// ``serviceGroup`` but no `ServiceGroup` whose `gracefulShutdownSignals` contain `.sigterm`, SIGTERM keeps its
/// default action and kills the process at once, without the final flush; with ``finalFlushThenExit`` inside such a
/// group, two handlers answer the same signal and the runtime's `exit(0)` ends the process under the group's feet.
public enum TerminationSignalHandling: Sendable, Equatable {
    /// The runtime installs its own SIGTERM handler: the final flush within
    /// ``LambdaLifecycleConfiguration/shutdownBudget``, then `exit(0)`. Nothing else in the process gets to shut down.
    /// The default, for a runtime that is the process's only long-running task.
    case finalFlushThenExit
    /// The runtime installs no SIGTERM handler: run it as a `Service` in a `ServiceGroup` created with
    /// `gracefulShutdownSignals: [.sigterm]`. On SIGTERM the group shuts its services down gracefully, in reverse
    /// order; the runtime's part is the same final flush within ``LambdaLifecycleConfiguration/shutdownBudget``, after
    /// which its `run()` returns and the group shuts the services before it down. The process exits when the program
    /// ends, after `ServiceGroup.run()` returns: the group's whole graceful shutdown must fit in Lambda's window
    /// (`maximumGracefulShutdownDuration` can enforce that).
    case serviceGroup
}
