/// When, relative to the response and to Lambda's readiness signal, telemetry is flushed after an invocation.
///
/// Every strategy but ``periodic`` flushes each invocation's telemetry before Lambda may freeze the environment,
/// so a flush is never suspended half-way and nothing waits in a frozen process. They differ in who waits:
///
/// | strategy | the caller gets the response | Lambda may freeze / send the next event |
/// |---|---|---|
/// | ``extensionGated`` (default) | as soon as the handler returns | after the flush (the internal extension calls `event/next` then) |
/// | ``runtimeGated`` | as soon as the handler returns | after the flush (the runtime calls `invocation/next` then) |
/// | ``synchronous`` | after the flush | right after the response |
/// | ``periodic`` | as soon as the handler returns | right away; batch processors export on their schedule |
///
/// The flush of each invocation is bounded by `min(cap, invocation deadline - safety margin)`
/// (``LambdaLifecycleConfiguration``).
public struct FlushStrategy: Sendable, Hashable, CustomStringConvertible {
    enum Gate: Sendable, Hashable {
        case extensionNext, runtimeNext, response, none, earlyNext
    }

    let gate: Gate

    /// Default. An internal extension, registered for `INVOKE`, withholds its `GET /extension/event/next` until
    /// the flush after the response has finished. If the extension cannot register, or its `next` fails, the runtime
    /// falls back to ``runtimeGated`` (said once in the log), so no data is lost and the function keeps serving.
    public static let extensionGated = FlushStrategy(gate: .extensionNext)
    /// The runtime delays its own `GET /runtime/invocation/next` until the flush has finished. Use with a collector
    /// layer in the sandbox (ADOT / opentelemetry-lambda), which exports once it sees the runtime's `next`.
    public static let runtimeGated = FlushStrategy(gate: .runtimeNext)
    /// Flush, then respond: the caller waits for the flush. For functions nobody waits on (queues, schedules).
    public static let synchronous = FlushStrategy(gate: .response)
    /// No per-invocation flush: the batch processors export on their schedule. Used on Lambda Managed Instances,
    /// where internal extensions get no per-invocation events and the environment is not frozen between events.
    public static let periodic = FlushStrategy(gate: .none)

    /// The bug the other strategies fix: respond, call `invocation/next` at once, flush in the background. Lambda
    /// may freeze the environment in the middle of the flush, and the next event can arrive on top of it. Exists so
    /// that tests and benchmarks can show what goes wrong.
    @_spi(LifecycleTesting)
    public static let earlyNext = FlushStrategy(gate: .earlyNext)

    /// Reads the value of `OTEL_LAMBDA_FLUSH_STRATEGY` as `OTelEnvironment.string(_:)` returns it (trimmed):
    /// `extension-gated`, `runtime-gated`, `synchronous`, `periodic` (case-insensitive); nil for anything else.
    public init?(environmentValue: String) {
        switch environmentValue.lowercased() {
        case "extension-gated": self = .extensionGated
        case "runtime-gated": self = .runtimeGated
        case "synchronous": self = .synchronous
        case "periodic": self = .periodic
        default: return nil
        }
    }

    private init(gate: Gate) {
        self.gate = gate
    }

    public var description: String {
        switch gate {
        case .extensionNext: return "extension-gated"
        case .runtimeNext: return "runtime-gated"
        case .response: return "synchronous"
        case .none: return "periodic"
        case .earlyNext: return "early-next"
        }
    }
}
