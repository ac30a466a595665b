import Foundation
import Testing

/// `flush-bench` with tiny parameters (one second of load, one rate, two strategies): it runs to the end, prints the
/// table, and writes JSON with every promised key and values that make sense.
@Suite(.serialized, .timeLimit(.minutes(5))) struct FlushBenchTests {
    /// The keys the issue promises for every run.
    static let promisedKeys = [
        "strategy", "rps", "invocations", "p50_ms", "p95_ms", "p99_ms", "max_ms", "gateway_timeouts", "function_timeouts",
        "spans_created", "spans_received", "spans_distinct", "violations", "billed_ms_mean", "flush_p99_ms",
    ]

    /// The number under `key`, `nil` when it is absent or `null`.
    static func number(_ run: [String: Any], _ key: String) -> Double? {
        (run[key] as? NSNumber)?.doubleValue
    }

    @Test func tinyRunWritesThePromisedJSON() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flush-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = directory.appendingPathComponent("bench.json")
        let svg = directory.appendingPathComponent("bench.svg")
        // Stalls (1.2 s) longer than the gateway timeout (0.8 s), a flush cap in between: synchronous callers get 504.
        // Each flush sends three requests (traces, metrics, logs): every 9th request stalls about one flush in three.
        let outcome = try await ChildProcess.run(try Binaries.path("flush-bench"), [
            "--rps", "20", "--duration", "1", "--strategies", "synchronous,extension-gated",
            "--stall-every", "9", "--stall-seconds", "1.2", "--gateway-timeout", "0.8", "--flush-cap", "1",
            "--function-timeout", "3", "--work-ms", "5", "--max-sandboxes", "32",
            "--json", json.path, "--svg", svg.path,
        ])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("p99 ms"), "table: \(outcome.standardOutput)")

        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let runs = try #require(root["runs"] as? [[String: Any]])
        #expect(runs.map { $0["strategy"] as? String } == ["synchronous", "extension-gated"])
        for run in runs {
            for key in Self.promisedKeys { #expect(run.keys.contains(key), "missing \(key) in \(run)") }
            let number = { (key: String) in Self.number(run, key) ?? -1 }
            #expect(number("invocations") == 20)
            #expect(0 < number("p50_ms") && number("p50_ms") <= number("p95_ms"))
            #expect(number("p95_ms") <= number("p99_ms") && number("p99_ms") <= number("max_ms"))
            #expect(number("spans_created") >= 5 * 20)
            #expect(number("spans_received") >= 0)
            #expect(number("billed_ms_mean") > 0)
        }
        let synchronous = runs[0], deferred = runs[1]
        #expect(Self.number(synchronous, "gateway_timeouts") ?? 0 > 0, "the stalls never reached the caller: \(synchronous)")
        if !TimingTolerance.underThreadSanitizer {  // a latency check: instrumented sandboxes are several times slower
            #expect(Self.number(deferred, "gateway_timeouts") == 0)
        }
        #expect(Self.number(deferred, "violations") == 0)
        #expect(Self.number(deferred, "lost_spans") == 0, "\(deferred)")
        #expect(try String(contentsOf: svg, encoding: .utf8).contains("<svg"))
    }
}
