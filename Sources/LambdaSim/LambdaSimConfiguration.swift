/// How a ``LambdaSimulator`` runs the function.
///
/// Every value is used as given; ``LambdaSimulator/start(configuration:)`` rejects values that cannot work
/// (such as a non-positive timeout) with ``LambdaSimConfiguration/Invalid``.
public struct LambdaSimConfiguration: Sendable {
    /// Where the sandbox's output goes: each line prefixed with `[sandbox N] `.
    public enum SandboxLog: Sendable, Equatable {
        /// The simulator's standard error.
        case standardError
        /// Appended to this file (created if missing).
        case file(String)
        /// Read and parsed for flush lines, then dropped.
        case discard
    }

    /// A value the simulator cannot run with, named in `description`.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The executable launched in each sandbox (the function's `bootstrap`).
    public var bootstrap: String
    /// Arguments given to `bootstrap` (after `argv[0]`, which is `bootstrap`).
    public var bootstrapArguments: [String]
    /// Variables set in the sandbox on top of the simulator's own environment and the Lambda variables;
    /// they win over both, except `AWS_LAMBDA_RUNTIME_API`, which always points at the sandbox's API server.
    public var environment: [String: String]
    /// `AWS_LAMBDA_FUNCTION_NAME`, also the last part of the invoked function ARN.
    public var functionName: String
    /// `AWS_LAMBDA_FUNCTION_VERSION`.
    public var functionVersion: String
    /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` in MB.
    public var memoryMB: Int
    /// `AWS_REGION` and `AWS_DEFAULT_REGION`; also in the invoked function ARN.
    public var region: String
    /// `_HANDLER`, and `handler` in the extension registration answer.
    public var handler: String
    /// Front-door port on 127.0.0.1; 0 lets the OS choose (read ``LambdaSimulator/port``).
    public var port: Int
    /// The function timeout: bounds the whole invoke phase, including extensions' work after the response.
    public var functionTimeout: Duration
    /// How long a caller waits for its answer before it gets 504.
    public var gatewayTimeout: Duration
    /// How long a sandbox's init (until the runtime and every extension call `next`) may last.
    public var initTimeout: Duration
    /// Whether a sandbox's process group is stopped (SIGSTOP) between invocations.
    public var freeze: Bool
    /// Most sandboxes running at once; invocations queue (FIFO) when all are busy.
    public var maxSandboxes: Int
    /// Time between SIGTERM and SIGKILL when a sandbox with registered extensions is shut down or reset.
    public var shutdownGrace: Duration
    /// Where sandbox output lines go.
    public var sandboxLog: SandboxLog
    /// The function's X-Ray tracing mode: what trace header each invocation gets. Default pass-through, as Lambda.
    public var tracing: TracingMode
    /// The form of the fresh pass-through header for a caller that sent none.
    public var traceHeaderForm: TraceHeaderForm
    /// How much per-item detail the report keeps: the most recent `retainedDetail` invocation timelines, flushes,
    /// violations and ended sandboxes (each list on its own). Older items are dropped and counted in
    /// ``LambdaSimReport/omitted``; ``LambdaSimReport/Summary`` stays exact. An invocation leaves the window only
    /// once it is over (answered, its invoke phase ended), so the window can briefly hold more. Default 10,000.
    public var retainedDetail: Int

    public init(
        bootstrap: String,
        bootstrapArguments: [String] = [],
        environment: [String: String] = [:],
        functionName: String = "function",
        functionVersion: String = "$LATEST",
        memoryMB: Int = 128,
        region: String = "us-east-1",
        handler: String = "bootstrap",
        port: Int = 9000,
        functionTimeout: Duration = .seconds(3),
        gatewayTimeout: Duration = .seconds(10),
        initTimeout: Duration = .seconds(10),
        freeze: Bool = true,
        maxSandboxes: Int = 1,
        shutdownGrace: Duration = .milliseconds(500),
        sandboxLog: SandboxLog = .standardError,
        tracing: TracingMode = .passThrough,
        traceHeaderForm: TraceHeaderForm = .full,
        retainedDetail: Int = 10_000
    ) {
        self.bootstrap = bootstrap
        self.bootstrapArguments = bootstrapArguments
        self.environment = environment
        self.functionName = functionName
        self.functionVersion = functionVersion
        self.memoryMB = memoryMB
        self.region = region
        self.handler = handler
        self.port = port
        self.functionTimeout = functionTimeout
        self.gatewayTimeout = gatewayTimeout
        self.initTimeout = initTimeout
        self.freeze = freeze
        self.maxSandboxes = maxSandboxes
        self.shutdownGrace = shutdownGrace
        self.sandboxLog = sandboxLog
        self.tracing = tracing
        self.traceHeaderForm = traceHeaderForm
        self.retainedDetail = retainedDetail
    }

    /// `arn:aws:lambda:<region>:123456789012:function:<name>`.
    var invokedFunctionARN: String {
        "arn:aws:lambda:\(region):123456789012:function:\(functionName)"
    }

    /// Throws ``Invalid`` naming the first value that cannot work.
    func validate() throws {
        if bootstrap.isEmpty { throw Invalid(description: "bootstrap: an executable path is required") }
        if !(0...65_535).contains(port) { throw Invalid(description: "port: \(port) is not in 0...65535") }
        if functionTimeout <= .zero { throw Invalid(description: "function timeout: must be positive") }
        if gatewayTimeout <= .zero { throw Invalid(description: "gateway timeout: must be positive") }
        if initTimeout <= .zero { throw Invalid(description: "init timeout: must be positive") }
        if retainedDetail < 1 { throw Invalid(description: "retained detail: must be at least 1") }
        if maxSandboxes < 1 { throw Invalid(description: "max sandboxes: \(maxSandboxes) is below 1") }
        if memoryMB < 1 { throw Invalid(description: "memory: \(memoryMB) MB is below 1") }
        if shutdownGrace < .zero { throw Invalid(description: "shutdown grace: must not be negative") }
        if functionName.isEmpty { throw Invalid(description: "function name: must not be empty") }
    }
}
