import ArgumentParser
import LambdaSim
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `flush-bench`: the flush-latency benchmark and demo. Runs `example-entity-api` in `lambda-sim` under open-loop load
/// against a collector that stalls, once per strategy and arrival rate, and reports what callers waited, what the
/// collector received and what the emulator caught.
@main
struct FlushBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flush-bench",
        abstract: "Caller latency, lost spans and lifecycle violations of each flush strategy under a stalling collector.",
        discussion: """
            Each strategy runs in turn at each rate, with a fresh collector and emulator: warm sandboxes first, then \
            arrivals on a fixed schedule (open loop) for the duration, then Lambda's teardown (idle, SIGTERM, final \
            flushes) before the collector's count is read. `baseline` is extension-gated against a collector that \
            never stalls; `naive` runs the entity-api-naive fixture, example-entity-api with the early-next bug. --quick scales the defaults down (stall, timeouts and flush cap × 0.1, 5 s per run, a stall \
            every 10 exports) to finish in under two minutes; options given explicitly are used as they are.

            --scenario collector-down: for each strategy (default synchronous, extension-gated, runtime-gated) and \
            each outage (--outages: refused, hung), one sandbox (freezing on, function timeout 6 s unless \
            --function-timeout, the runtime's default flush cap unless --flush-cap) is invoked --pause apart, \
            --outage-invocations times while the collector is down, then --recovery-invocations times after it is \
            back; the table gives the post-response (billed) time the outage cost and when every span had arrived.
            """
    )

    @Option(name: .long, help: "What to measure: \(BenchScenario.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenario: BenchScenario = .stalls

    @Option(name: .long, help: "Arrival rates, invocations per second, comma-separated.", transform: FlushBench.rates)
    var rps: [Double] = [5, 100]

    @Option(
        name: .long,
        help: "Strategies, comma-separated: \(BenchStrategy.allCases.map(\.rawValue).joined(separator: ", ")).",
        transform: FlushBench.strategies
    )
    var strategies: [BenchStrategy]?

    @Option(
        name: .long,
        help: "collector-down: the outages, comma-separated: \(CollectorOutage.allCases.map(\.rawValue).joined(separator: ", ")).",
        transform: FlushBench.outages
    )
    var outages: [CollectorOutage] = CollectorOutage.allCases

    @Option(name: .long, help: "collector-down: invocations while the collector is down.")
    var outageInvocations = 12

    @Option(name: .long, help: "collector-down: invocations after it is back.")
    var recoveryInvocations = 10

    @Option(name: .long, help: "collector-down: seconds between the end of one invoke phase and the next invocation.")
    var pause = 1.0

    @Option(name: .long, help: "Seconds of load per strategy and rate (default 60; --quick: 5).")
    var duration: Double?

    @Option(name: .long, help: "Stall every N-th export request; 0: never (default 100, i.e. 1%; --quick: 10).")
    var stallEvery: Int?

    @Option(name: .long, help: "Seconds each stall lasts (default 10; --quick: 1).")
    var stallSeconds: Double?

    @Option(name: .long, help: "Seconds a caller waits before it gets 504 (default 10; --quick: 1).")
    var gatewayTimeout: Double?

    @Option(name: .long, help: "Seconds one flush may last, OTEL_INSTRUMENTATION_AWS_LAMBDA_FLUSH_TIMEOUT (default 10; --quick: 1).")
    var flushCap: Double?

    @Option(name: .long, help: "The function timeout in seconds (default 30; --quick: 3).")
    var functionTimeout: Double?

    @Option(name: .long, help: "Most sandboxes at once.")
    var maxSandboxes = 64

    @Option(name: .long, help: "The handler's own time per request, milliseconds (EXAMPLE_WORK_MS).")
    var workMs = 50

    @Flag(name: .long, help: "A scaled-down run that finishes in under two minutes.")
    var quick = false

    @Option(name: .long, help: "Export to this OTLP/HTTP collector instead of an in-process one (no stalls injected, spans received unknown).")
    var collector: String?

    @Option(name: .long, help: "Write the results as JSON to this file.")
    var json: String?

    @Option(name: .long, help: "Write the latency CDF chart as SVG to this file.")
    var svg: String?

    /// What `--quick` multiplies the stall, the timeouts and the flush cap by.
    static let quickFactor = 0.1

    func validate() throws {
        if rps.isEmpty || rps.contains(where: { !($0 > 0) }) { throw ValidationError("--rps: rates must be positive") }
        if strategies?.isEmpty == true { throw ValidationError("--strategies: name at least one") }
        if outages.isEmpty { throw ValidationError("--outages: name at least one") }
        if outageInvocations < 1 || recoveryInvocations < 1 { throw ValidationError("--outage-invocations, --recovery-invocations: at least 1") }
        if !(pause >= 0) { throw ValidationError("--pause: must not be negative") }
        for (name, value) in [("--duration", duration), ("--stall-seconds", stallSeconds), ("--gateway-timeout", gatewayTimeout),
                              ("--function-timeout", functionTimeout)] {
            if let value, !(value > 0) { throw ValidationError("\(name): must be positive") }
        }
        if let flushCap, !(flushCap >= 0) { throw ValidationError("--flush-cap: must not be negative") }
        if let stallEvery, stallEvery < 0 { throw ValidationError("--stall-every: must not be negative") }
        if maxSandboxes < 1 { throw ValidationError("--max-sandboxes: must be at least 1") }
        if workMs < 0 { throw ValidationError("--work-ms: must not be negative") }
    }

    /// The options resolved: explicit values as given, defaults scaled by `--quick`.
    var settings: BenchSettings {
        let scale = quick ? Self.quickFactor : 1
        return BenchSettings(
            rates: rps,
            strategies: collector == nil ? strategies ?? BenchStrategy.defaultOrder : (strategies ?? BenchStrategy.defaultOrder).filter { $0 != .baseline },
            duration: .seconds(fractional: duration ?? (quick ? 5 : 60)),
            stallEvery: stallEvery ?? (quick ? 10 : 100),
            stallDuration: .seconds(fractional: stallSeconds ?? 10 * scale),
            gatewayTimeout: .seconds(fractional: gatewayTimeout ?? 10 * scale),
            flushCap: .seconds(fractional: flushCap ?? 10 * scale),
            functionTimeout: .seconds(fractional: functionTimeout ?? 30 * scale),
            maxSandboxes: maxSandboxes,
            workMilliseconds: workMs,
            collector: collector,
            quick: quick
        )
    }

    /// The options of `--scenario collector-down` resolved.
    var outageSettings: OutageSettings {
        OutageSettings(
            strategies: strategies ?? [.synchronous, .extensionGated, .runtimeGated],
            outages: outages,
            outageInvocations: outageInvocations,
            recoveryInvocations: recoveryInvocations,
            pause: .seconds(fractional: pause),
            functionTimeout: .seconds(fractional: functionTimeout ?? 6),
            flushCap: flushCap.map { .seconds(fractional: $0) },
            workMilliseconds: workMs
        )
    }

    func run() async throws {
        // Each strategy's function (its `bootstrap`), found before the first run starts.
        let strategies = scenario == .stalls ? settings.strategies : outageSettings.strategies
        let functions = try strategies.map { ($0, try SiblingExecutable.path($0.executable)) }
        let progress = ProgressReporter()
        let ticker = Task { await progress.tick(every: .seconds(1)) }
        defer { ticker.cancel() }
        switch scenario {
        case .stalls: try await runStalls(functions: functions, progress: progress)
        case .collectorDown: try await runCollectorDown(functions: functions, progress: progress)
        }
    }

    private func runCollectorDown(functions: [(BenchStrategy, String)], progress: ProgressReporter) async throws {
        let settings = outageSettings
        var results: [OutageResult] = []
        for (strategy, bootstrap) in functions {
            for outage in settings.outages {
                let run = OutageRun(strategy: strategy, outage: outage, settings: settings, bootstrap: bootstrap)
                results.append(try await run.run(progress: progress))
            }
        }
        progress.begin("done")
        print(OutageTable(results: results).text, terminator: "")
        if let json {
            try BenchOutput(settings: settings, runs: results).write(to: json)
            ProgressReporter.writeLine("flush-bench: JSON written to \(json)")
        }
    }

    private func runStalls(functions: [(BenchStrategy, String)], progress: ProgressReporter) async throws {
        let settings = self.settings

        var results: [RunResult] = []
        for rate in settings.rates {
            for (strategy, bootstrap) in functions {
                let run = StrategyRun(strategy: strategy, rate: rate, settings: settings, bootstrap: bootstrap)
                results.append(try await run.run(progress: progress))
            }
        }
        progress.begin("done")

        print(ResultTable(results: results).text, terminator: "")
        if let json {
            try BenchOutput(settings: settings, runs: results).write(to: json)
            ProgressReporter.writeLine("flush-bench: JSON written to \(json)")
        }
        if let svg {
            try LatencyChart(results: results, gatewayTimeout: settings.gatewayTimeout).write(to: svg)
            ProgressReporter.writeLine("flush-bench: chart written to \(svg)")
        }
    }

    private static func rates(_ text: String) throws -> [Double] {
        try text.split(separator: ",").map { part in
            guard let rate = Double(String(part.filter { !$0.isWhitespace })) else { throw ValidationError("--rps: '\(part)' is not a number") }
            return rate
        }
    }

    private static func outages(_ text: String) throws -> [CollectorOutage] {
        try text.split(separator: ",").map { part in
            guard let outage = CollectorOutage(rawValue: String(part.filter { !$0.isWhitespace })) else {
                throw ValidationError("--outages: '\(part)' is not one of \(CollectorOutage.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return outage
        }
    }

    private static func strategies(_ text: String) throws -> [BenchStrategy] {
        try text.split(separator: ",").map { part in
            guard let strategy = BenchStrategy(rawValue: String(part.filter { !$0.isWhitespace })) else {
                throw ValidationError("--strategies: '\(part)' is not one of \(BenchStrategy.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return strategy
        }
    }
}
