import ServiceLifecycle

/// A swift-service-lifecycle `Service`: the runtime can run in a `ServiceGroup` beside the services its handler uses,
/// and shut down with them.
///
/// ```swift
/// var configuration = LambdaLifecycleConfiguration(environment: .process())
/// configuration.terminationSignal = .serviceGroup   // SIGTERM is the group's
/// let runtime = LambdaRuntime(configuration: configuration, telemetry: telemetry, handler: OrdersHandler(pool: databasePool))
/// var groupConfiguration = ServiceGroupConfiguration(
///     services: [databasePool, runtime], gracefulShutdownSignals: [.sigterm], logger: logger
/// )
/// groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(450)   // Lambda's Shutdown phase: 500 ms
/// try await ServiceGroup(configuration: groupConfiguration).run()
/// ```
///
/// On SIGTERM (Lambda sends it at shutdown) the group shuts its services down in reverse order: the runtime first
/// (the final flush within ``LambdaLifecycleConfiguration/shutdownBudget``, then its ``run()`` returns, without
/// `exit`), then the database pool; the process exits with status 0 when the program ends. The whole graceful
/// shutdown must fit in Lambda's Shutdown phase, after which Lambda sends SIGKILL. What the services after the
/// runtime record once its final flush is done is not exported (logs mirrored to standard error still reach
/// CloudWatch).
///
/// Set ``TerminationSignalHandling/serviceGroup``: with the default, ``TerminationSignalHandling/finalFlushThenExit``,
/// the runtime's own SIGTERM handler would race the group's and end the process with `exit(0)`. When `run()` returns
/// because the Runtime API failed, the group treats it as any service that ended: by default it cancels the others.
extension LambdaRuntime: Service {}
