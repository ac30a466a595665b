import EntityAPI
import LambdaSim

/// Open-loop load: invocations arrive on a fixed schedule (one every `1 / rate` seconds for `duration`), each in its
/// own child task, so a slow or stalled answer never delays the arrivals that follow.
///
/// Latency is measured from the scheduled arrival, not from the moment the task got to send: if the bench itself
/// falls behind, that delay is counted (no coordinated omission).
struct OpenLoopLoad {
    /// What the caller of one invocation saw.
    struct Sample: Sendable {
        /// From the scheduled arrival to the answer.
        var latency: Duration
        /// The HTTP status of the answer (504 after the gateway timeout).
        var status: Int
    }

    /// Arrivals per second.
    var rate: Double
    /// How long arrivals go on.
    var duration: Duration

    /// How many invocations the schedule holds.
    var arrivals: Int { max(1, Int((rate * duration.seconds).rounded())) }

    /// Sends the schedule's invocations to `simulator` and returns what their callers saw, once all are answered.
    func run(against simulator: LambdaSimulator, progress: ProgressReporter) async -> [Sample] {
        let clock = ContinuousClock()
        let start = clock.now
        let interval = Duration.seconds(fractional: 1 / rate)
        return await withTaskGroup(of: Sample.self) { group in
            for index in 0..<arrivals {
                let arrival = start + interval * index
                try? await Task.sleep(until: arrival, clock: clock)
                progress.sent()
                group.addTask {
                    let response = await simulator.invoke(payload: EntityRequest.payload(id: index))
                    progress.answered()
                    return Sample(latency: arrival.duration(to: clock.now), status: response.status)
                }
            }
            var samples: [Sample] = []
            samples.reserveCapacity(arrivals)
            for await sample in group { samples.append(sample) }
            return samples
        }
    }
}
