import ArgumentParser
import Dispatch
import LambdaSim

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `lambda-sim`: a strict local Lambda emulator (see `LambdaSimulator`).
@main
struct LambdaSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lambda-sim",
        abstract: "A strict local AWS Lambda emulator: Runtime and Extensions APIs, real freezing, timeouts and a timeline report.",
        discussion: """
            Serves POST /2015-03-31/functions/function/invocations on 127.0.0.1:PORT and launches the bootstrap in \
            sandboxes on demand. Prints "lambda-sim listening on 127.0.0.1:PORT" when ready. Runs until SIGINT, \
            SIGTERM or POST /shutdown, waits until no invoke phase runs, then shuts the sandboxes down, writes the report and exits 0. \
            Arguments after -- are passed to the bootstrap.
            """
    )

    @Option(help: "The function's bootstrap executable.")
    var bootstrap: String

    @Option(help: "Front-door port on 127.0.0.1 (0: any free port).")
    var port: Int = 9000

    @Option(help: "Function timeout in seconds, over the whole invoke phase.")
    var timeout: Double = 3

    @Option(name: .customLong("gateway-timeout"), help: "Seconds a caller waits before it gets 504.")
    var gatewayTimeout: Double = 10

    @Flag(name: .customLong("no-freeze"), help: "Do not SIGSTOP sandboxes between invocations.")
    var noFreeze = false

    @Option(name: .customLong("max-sandboxes"), help: "Most sandboxes at once; further invocations queue.")
    var maxSandboxes: Int = 1

    @Option(help: "AWS_LAMBDA_FUNCTION_MEMORY_SIZE in MB.")
    var memory: Int = 128

    @Option(name: .customLong("function-name"), help: "AWS_LAMBDA_FUNCTION_NAME.")
    var functionName: String = "function"

    @Option(help: "AWS_REGION.")
    var region: String = "us-east-1"

    @Option(help: "_HANDLER.")
    var handler: String = "bootstrap"

    @Option(name: .customLong("env"), help: "K=V set in the sandbox (repeatable).")
    var environment: [String] = []

    @Option(help: "Write the JSON report to this file at shutdown.")
    var report: String?

    @Option(
        name: .customLong("retained-detail"),
        help: "Most recent invocations, flushes, violations and ended sandboxes the report lists (the summary counts all)."
    )
    var retainedDetail: Int = 10_000

    @Option(name: .customLong("sandbox-log"), help: "Append sandbox output here instead of standard error.")
    var sandboxLog: String?

    @Option(name: .customLong("shutdown-grace-ms"), help: "Milliseconds between SIGTERM and SIGKILL.")
    var shutdownGraceMs: Int = 500

    @Option(help: "X-Ray tracing mode: pass-through (Active tracing off, Lambda's default) or active.")
    var tracing: String = LambdaSimConfiguration.TracingMode.passThrough.rawValue

    @Option(name: .customLong("tracing-header-form"), help: "Header pass-through sends a caller without one: full (Root;Parent;Sampled=0;Lineage) or root-only.")
    var tracingHeaderForm: String = LambdaSimConfiguration.TraceHeaderForm.full.rawValue

    @Argument(parsing: .postTerminator, help: "Arguments for the bootstrap.")
    var bootstrapArguments: [String] = []

    func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
        guard gatewayTimeout > 0, gatewayTimeout.isFinite else { throw ValidationError("--gateway-timeout must be a positive number of seconds") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard maxSandboxes >= 1 else { throw ValidationError("--max-sandboxes must be at least 1") }
        guard memory >= 1 else { throw ValidationError("--memory must be at least 1") }
        guard shutdownGraceMs >= 0 else { throw ValidationError("--shutdown-grace-ms must not be negative") }
        guard access(bootstrap, X_OK) == 0 else { throw ValidationError("--bootstrap \(bootstrap) is not an executable file") }
        guard LambdaSimConfiguration.TracingMode(rawValue: tracing) != nil else {
            throw ValidationError("--tracing \(tracing) is not one of pass-through, active")
        }
        guard LambdaSimConfiguration.TraceHeaderForm(rawValue: tracingHeaderForm) != nil else {
            throw ValidationError("--tracing-header-form \(tracingHeaderForm) is not one of full, root-only")
        }
        for pair in environment where !pair.contains("=") || pair.hasPrefix("=") {
            throw ValidationError("--env \(pair) is not K=V")
        }
    }

    func run() async throws {
        var variables: [String: String] = [:]
        for pair in environment {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            variables[String(parts[0])] = String(parts[1])
        }
        let configuration = LambdaSimConfiguration(
            bootstrap: bootstrap,
            bootstrapArguments: bootstrapArguments,
            environment: variables,
            functionName: functionName,
            memoryMB: memory,
            region: region,
            handler: handler,
            port: port,
            functionTimeout: .milliseconds(Int64((timeout * 1_000).rounded())),
            gatewayTimeout: .milliseconds(Int64((gatewayTimeout * 1_000).rounded())),
            freeze: !noFreeze,
            maxSandboxes: maxSandboxes,
            shutdownGrace: .milliseconds(shutdownGraceMs),
            sandboxLog: sandboxLog.map { .file($0) } ?? .standardError,
            tracing: LambdaSimConfiguration.TracingMode(rawValue: tracing) ?? .passThrough,
            traceHeaderForm: LambdaSimConfiguration.TraceHeaderForm(rawValue: tracingHeaderForm) ?? .full,
            retainedDetail: retainedDetail
        )
        let simulator: LambdaSimulator
        do {
            simulator = try await LambdaSimulator.start(configuration: configuration)
        } catch let error as LambdaSimConfiguration.Invalid {
            throw ValidationError(error.description)
        }
        let signals = [SIGINT, SIGTERM].map { signal in
            _ = Glibc.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler { simulator.requestShutdown() }
            source.resume()
            return source
        }
        // Unbuffered: tools wait for this line on a pipe.
        writeAll("lambda-sim listening on 127.0.0.1:\(simulator.port)\n", to: 1)
        await simulator.shutdownRequested()
        // As Lambda does: environments are shut down only once their invoke phases have ended (post-response
        // flushes included; a phase that overruns the function timeout is reset, so this wait is bounded).
        await simulator.waitUntilIdle()
        let result = await simulator.shutdown()
        signals.forEach { $0.cancel() }
        if let report {
            try writeReport(result, to: report)
        }
        let summary = result.summary
        writeAll(
            "lambda-sim: \(summary.invocations) invocations, \(summary.ok) ok, \(summary.errors) errors, \(summary.timeouts) timeouts, "
                + "\(summary.gatewayTimeouts) gateway timeouts, \(summary.coldStarts) cold starts, \(summary.violations) violations\n",
            to: 2
        )
    }

    private func writeReport(_ report: LambdaSimReport, to path: String) throws {
        let bytes = try report.jsonBytes()
        guard let file = fopen(path, "w") else {
            throw ValidationError("--report: cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        guard fwrite(bytes, 1, bytes.count, file) == bytes.count else {
            throw ValidationError("--report: cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// Writes `text` to file descriptor `descriptor`, retrying short writes.
private func writeAll(_ text: String, to descriptor: Int32) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }
        bytes = bytes.dropFirst(written)
    }
}
