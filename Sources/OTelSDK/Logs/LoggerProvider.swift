import NIOConcurrencyHelpers
import Synchronization

/// The log signal's provider: owns the resource, the attribute limits and the log record
/// processors, and hands out ``OTelLogger``s (and, through them, the swift-log bridge
/// ``OTelLogHandler``).
///
/// Thread-safe. Records emitted after ``shutdown(deadline:)`` began are not recorded.
/// `forceFlush(deadline:)` flushes every processor concurrently and combines their results;
/// it returns by the deadline as the processors do (see ``BatchLogRecordProcessor``).
public final class LoggerProvider: TelemetryProvider {
    public let name = "logs"
    public let resource: Resource
    public let limits: LogRecordLimits
    let processors: [any LogRecordProcessor]
    private let shutDown = Atomic<Bool>(false)
    /// One scope object per (name, version), so that records of one logger label share it (the
    /// exporter groups by scope identity).
    private let scopes = NIOLockedValueBox<[ScopeKey: InstrumentationScope]>([:])

    private struct ScopeKey: Hashable {
        var name: String
        var version: String?
    }

    public init(resource: Resource, limits: LogRecordLimits = LogRecordLimits(), processors: [any LogRecordProcessor]) {
        self.resource = resource
        self.limits = limits
        self.processors = processors
    }

    /// A provider configured from `OTEL_*` variables: resource (`OTEL_SERVICE_NAME`,
    /// `OTEL_RESOURCE_ATTRIBUTES`) and limits (`OTEL_LOGRECORD_ATTRIBUTE_*`). Malformed values are
    /// reported and replaced by defaults.
    public convenience init(environment: OTelEnvironment, processors: [any LogRecordProcessor], additionalResource: Resource = .empty) {
        self.init(
            resource: EnvironmentResourceDetector(environment: environment).detect().merging(additionalResource),
            limits: LogRecordLimits(environment: environment),
            processors: processors
        )
    }

    /// A logger for the instrumentation scope `name` (for the swift-log bridge: the logger's label).
    /// Loggers of the same name and version share one scope.
    public func logger(name: String = SDKInfo.name, version: String? = nil) -> OTelLogger {
        let key = ScopeKey(name: name, version: version)
        let scope = scopes.withLockedValue { scopes in
            if let existing = scopes[key] { return existing }
            let created = InstrumentationScope(name: name, version: version)
            scopes[key] = created
            return created
        }
        return OTelLogger(provider: self, scope: scope)
    }

    var isShutDown: Bool { shutDown.load(ordering: .relaxed) }

    public func forceFlush(deadline: ContinuousClock.Instant) async -> FlushResult {
        await FlushResult.concurrently(processors) { await $0.forceFlush(deadline: deadline) }
    }

    public func shutdown(deadline: ContinuousClock.Instant) async -> FlushResult {
        shutDown.store(true, ordering: .relaxed)
        return await FlushResult.concurrently(processors) { await $0.shutdown(deadline: deadline) }
    }
}
