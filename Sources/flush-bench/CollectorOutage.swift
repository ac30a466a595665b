import OTLPReceiver

/// How the collector is down in a `collector-down` run.
enum CollectorOutage: String, CaseIterable, Sendable {
    /// Nothing listens on its port: every connection is refused.
    case refused
    /// It accepts connections and requests and never answers (a stall of an hour on every request).
    case hung

    /// The faults of the collector while it hangs.
    static let hanging = ReceiverFaults(stall: .init(every: 1, duration: .seconds(3600)))
}
