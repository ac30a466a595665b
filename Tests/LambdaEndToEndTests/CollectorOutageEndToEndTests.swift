import Foundation
import Testing

/// `flush-bench --scenario collector-down`, shortened: real `lambda-sim` sandboxes (freezing on) running
/// `example-entity-api`, with the collector refusing connections and then hanging. After the first failure the
/// post-response flushes return in milliseconds; every caller is answered; every span arrives once it is back.
@Suite("Collector outage end to end (flush-bench --scenario collector-down)", .serialized, .timeLimit(.minutes(5)))
struct CollectorOutageEndToEndTests {
    @Test func postResponseTimeStaysShortAndEverySpanArrivesAfterwards() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("collector-down-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = directory.appendingPathComponent("outage.json")
        let outcome = try await ChildProcess.run(try Binaries.path("flush-bench"), [
            "--scenario", "collector-down", "--strategies", "extension-gated", "--outages", "refused,hung",
            "--outage-invocations", "5", "--recovery-invocations", "10", "--pause", "0.3",
            "--function-timeout", "3", "--work-ms", "5", "--json", json.path,
        ])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("outage post-resp s"), "table: \(outcome.standardOutput)")

        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let runs = try #require(root["runs"] as? [[String: Any]])
        #expect(runs.map { $0["outage"] as? String } == ["refused", "hung"])
        for run in runs {
            let number = { (key: String) in (run[key] as? NSNumber)?.doubleValue ?? -1 }
            // Without the breaker every flush of the outage waits until its deadline (about 2.8 s here).
            #expect((0...500).contains(number("median_from_third_ms")), "\(run)")
            #expect(number("outage_total_function_timeouts") <= 2, "\(run)")
            #expect(number("callers_not_answered") == 0 && number("function_timeouts") == 0, "\(run)")
            #expect(number("lost_spans") == 0 && number("spans_created") == 5 * 15, "\(run)")
            #expect(number("caught_up_after") >= 1, "\(run)")
        }
    }
}
