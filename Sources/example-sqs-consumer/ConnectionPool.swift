import Logging
import ServiceLifecycle

/// A stand-in for the database connection pool a consumer writes to: it opens at start-up and closes its connections
/// when the service group shuts down gracefully (and logs both, so that the shutdown can be seen in the function's
/// log).
struct ConnectionPool: Service {
    var size = 4
    let logger: Logger

    func run() async throws {
        logger.info("connection pool: \(size) connections open")
        // Throws CancellationError if the group is cancelled instead of shut down gracefully.
        try await gracefulShutdown()
        logger.info("connection pool: shutting down gracefully, \(size) connections closed")
    }
}
