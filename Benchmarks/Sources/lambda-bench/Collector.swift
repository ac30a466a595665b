import OTLPReceiver

/// The collector every sandbox exports to: an in-process otlp-receiver on an OS-chosen port, never stalling.
struct Collector {
    let receiver: OTLPReceiver

    static func start() async throws -> Collector {
        Collector(receiver: try await OTLPReceiver.start(configuration: .init(port: 0)))
    }

    var endpoint: String { receiver.endpoint }

    /// Spans received so far (with repeats).
    var spansReceived: Int { receiver.summary.traces.items }

    func stop() async throws {
        try await receiver.stop()
    }
}
