import ArgumentParser

/// What `flush-bench` measures.
enum BenchScenario: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// Every strategy under open-loop load against a collector that stalls now and then (the default).
    case stalls
    /// One sandbox invoked a second apart while the collector is down (refused, then hung) and after it is back:
    /// the post-response (billed) time an outage costs, and whether every span arrives afterwards.
    case collectorDown = "collector-down"
}
