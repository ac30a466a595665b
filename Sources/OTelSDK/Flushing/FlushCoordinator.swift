import Logging
import NIOConcurrencyHelpers

/// Owns the signal providers and flushes or shuts them all down under one deadline.
///
/// Providers run concurrently and independently: each gets the whole budget (less a small margin,
/// see below), one that fails or stalls never stops or delays another, and the call returns at the
/// deadline even if a provider does not (that provider is reported as timed out, with no counts, and
/// keeps running in the background). Counts a late provider reports afterwards are not lost: its
/// exported and dropped items are added to its entry in the next flush's report (and said in a
/// diagnostics line when they arrive).
///
/// Providers are asked to finish a little before the caller's deadline (a tenth of the budget, at
/// most 50 ms), so that a provider that honours its deadline reports its own outcome and counts
/// (what is still pending) before the fan-out must return.
/// Each provider that does not finish cleanly gets its own diagnostics line, with its name.
///
/// The fan-out, its deadline and the batch processors' export workers run on threads of the SDK's own
/// (`otel-export` and `otel-flush`), not on Swift's cooperative pool: application tasks that never suspend and
/// occupy every thread of the pool cannot hold a flush past its deadline. Only the caller's own
/// resumption needs the caller's executor: a caller that runs on the saturated pool itself resumes
/// when a pool thread frees up.
///
/// Self-telemetry: when a ``MeterProvider`` is among the providers, each ``forceFlush(deadline:)`` records,
/// after every provider has answered, each provider's flush duration and outcome
/// (`otel.sdk.flush.duration`) and its dropped items (`otel.sdk.flush.dropped`) into that provider. They
/// are exported with the *next* flush's metrics (this flush's metrics are already on their way), to the
/// same collector. Recording is a few in-memory measurements: it triggers no export, cannot fail, and
/// delays the return by tens of microseconds. Without a meter provider, or with self-telemetry turned off, nothing is
/// recorded and nothing costs. ``shutdown(deadline:)`` records nothing: no later flush would export it.
///
/// This is the one object the Lambda lifecycle needs: `forceFlush(deadline:)` after each response.
/// Thread-safe; flushes may overlap (each is a barrier for what was recorded before it began).
public final class FlushCoordinator: Sendable {
    public let providers: [any TelemetryProvider]
    /// How long the shutdown at the end of ``run()`` (a swift-service-lifecycle `Service`) may take.
    public let serviceShutdownBudget: Duration
    private let diagnostics: Logger
    private let selfTelemetry: FlushTelemetry?
    /// Per provider (by index): what flushes that ended after their deadline exported and dropped, not yet
    /// reported.
    private let lateCounts: NIOLockedValueBox<[FlushResult]>

    /// - Parameters:
    ///   - providers: the signals' providers, flushed together.
    ///   - selfTelemetry: whether flushes record telemetry about themselves into the first ``MeterProvider``
    ///     among `providers` (see above); nil (the default) lets `OTEL_LAMBDA_SELF_TELEMETRY` decide: on
    ///     unless `false`.
    ///   - diagnostics: where each provider that does not flush cleanly gets its line.
    ///   - serviceShutdownBudget: how long the final shutdown may take when the coordinator runs as a `Service`.
    public init(
        providers: [any TelemetryProvider], selfTelemetry: Bool? = nil, diagnostics: Logger = DiagnosticLogger.make(),
        serviceShutdownBudget: Duration = .seconds(5)
    ) {
        self.providers = providers
        self.serviceShutdownBudget = serviceShutdownBudget
        self.diagnostics = diagnostics
        let enabled = selfTelemetry ?? OTelEnvironment(OTelEnvironment.processEnvironment(), diagnostics: diagnostics).isSelfTelemetryEnabled
        let meterProvider = providers.lazy.compactMap { $0 as? MeterProvider }.first
        self.selfTelemetry = enabled ? meterProvider.map(FlushTelemetry.init(meterProvider:)) : nil
        self.lateCounts = NIOLockedValueBox(Array(repeating: FlushResult(outcome: .ok), count: providers.count))
    }

    /// Flushes every provider concurrently; returns when all are done or at `deadline`.
    public func forceFlush(deadline: ContinuousClock.Instant) async -> FlushReport {
        let report = await fanOut(deadline: deadline, action: "flush") { await $0.forceFlush(deadline: $1) }
        selfTelemetry?.record(report)
        return report
    }

    /// Shuts every provider down concurrently (each flushes first); returns when all are done or at `deadline`.
    public func shutdown(deadline: ContinuousClock.Instant) async -> FlushReport {
        await fanOut(deadline: deadline, action: "shutdown") { await $0.shutdown(deadline: $1) }
    }

    private func fanOut(
        deadline: ContinuousClock.Instant,
        action: String,
        _ body: @escaping @Sendable (any TelemetryProvider, ContinuousClock.Instant) async -> FlushResult
    ) async -> FlushReport {
        let clock = ContinuousClock()
        let start = clock.now
        let providerDeadline = deadline - max(.zero, min(start.duration(to: deadline) / 10, .milliseconds(50)))
        let entries = await withTaskGroup(of: (Int, FlushReport.Entry).self) { group in
            for (index, provider) in providers.enumerated() {
                group.addTask(executorPreference: DedicatedExecutor.flushes) {
                    let providerStart = clock.now
                    var result = await raceDeadline(deadline, late: { self.noteLate($0, provider: index, action: action) }) {
                        await body(provider, providerDeadline)
                    } ?? FlushResult(outcome: .timedOut)
                    let late = self.lateCounts.withLockedValue { counts in
                        defer { counts[index] = FlushResult(outcome: .ok) }
                        return counts[index]
                    }
                    result.exported += late.exported
                    result.dropped += late.dropped
                    return (index, FlushReport.Entry(provider: provider.name, result: result, duration: clock.now - providerStart))
                }
            }
            var entries: [(Int, FlushReport.Entry)] = []
            for await entry in group {
                entries.append(entry)
            }
            return entries.sorted { $0.0 < $1.0 }.map(\.1)
        }
        for entry in entries where entry.outcome != .ok || entry.result.dropped > 0 {
            diagnostics.error(
                "\(entry.provider) \(action) \(entry.outcome)",
                metadata: [
                    "provider": "\(entry.provider)",
                    "duration": "\(entry.duration.formattedMilliseconds)",
                    "exported": "\(entry.result.exported)",
                    "pending": "\(entry.result.pending)",
                    "dropped": "\(entry.result.dropped)",
                ]
            )
        }
        return FlushReport(entries: entries, duration: clock.now - start)
    }

    /// Keeps the counts of a provider's flush that ended after the fan-out returned, for the next report.
    private func noteLate(_ result: FlushResult, provider index: Int, action: String) {
        lateCounts.withLockedValue { counts in
            counts[index].exported += result.exported
            counts[index].dropped += result.dropped
        }
        diagnostics.warning(
            "\(providers[index].name) \(action) ended after its deadline: \(result.outcome); its counts go into the next flush's report",
            metadata: [
                "provider": "\(providers[index].name)",
                "exported": "\(result.exported)",
                "pending": "\(result.pending)",
                "dropped": "\(result.dropped)",
            ])
    }
}
