import CoreMetrics

/// The swift-metrics backend: `MetricsSystem.bootstrap(OTelMetricsFactory(meter: provider.meter()))`
/// sends every swift-metrics metric through the SDK's instruments.
///
/// | swift-metrics | instrument (name = label, attributes = dimensions, string values) |
/// | --- | --- |
/// | `Counter` | integer ``OTelCounter`` |
/// | `FloatingPointCounter` | floating-point ``OTelCounter`` |
/// | `Meter` | floating-point ``OTelGauge`` (`increment`/`decrement` add to the last value) |
/// | `Recorder(aggregate: true)` | floating-point ``OTelHistogram`` with the default bounds |
/// | `Recorder(aggregate: false)` | floating-point ``OTelGauge`` |
/// | `Timer` | floating-point ``OTelHistogram`` in seconds (unit `s`), bounds 5 ms … 10 s |
///
/// A handler is bound to its series: recording through a kept metric is one atomic operation (two
/// or three for a histogram), with no lock and no I/O. Creating a metric looks its handler up by
/// label and dimensions in a per-CPU cache of the handler table (one uncontended lock, see
/// `HandlerTable`): the same label and dimensions get a handler bound to the same series.
///
/// Destroying a metric (`destroy()`) tells the factory it will not be updated again: its series is
/// released once every reader has collected what it recorded (nothing is lost); updates through the
/// destroyed metric after that collection are not exported; a new metric with the same label and
/// dimensions starts a new series. `reset()` on a counter restarts its series at zero (a new start time).
public final class OTelMetricsFactory: MetricsFactory {
    /// Bucket bounds of timers, in seconds: the OpenTelemetry semantic conventions' for durations.
    public static let timerBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]

    private let meter: OTelMeter
    private let handlers = HandlerTable()

    public init(meter: OTelMeter) {
        self.meter = meter
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> CounterHandler {
        handler(.counter, label, dimensions) {
            BridgedSum(storage: meter.counter(name: label, of: Int64.self).storage, attributes: $0, key: $1)
        }
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> FloatingPointCounterHandler {
        handler(.floatingPointCounter, label, dimensions) {
            BridgedSum(storage: meter.counter(name: label, of: Double.self).storage, attributes: $0, key: $1)
        }
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> MeterHandler {
        handler(.meter, label, dimensions) {
            BridgedGauge(storage: meter.gauge(name: label, of: Double.self).storage, attributes: $0, key: $1)
        }
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> RecorderHandler {
        if aggregate {
            return handler(.histogramRecorder, label, dimensions) {
                BridgedHistogram(storage: meter.histogram(name: label, of: Double.self).storage, attributes: $0, key: $1)
            }
        }
        return handler(.gaugeRecorder, label, dimensions) {
            BridgedGauge(storage: meter.gauge(name: label, of: Double.self).storage, attributes: $0, key: $1)
        }
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> TimerHandler {
        handler(.timer, label, dimensions) {
            BridgedHistogram(
                storage: meter.histogram(name: label, unit: "s", bounds: Self.timerBounds, of: Double.self).storage,
                attributes: $0, key: $1)
        }
    }

    public func destroyCounter(_ handler: CounterHandler) { destroy(handler) }
    public func destroyMeter(_ handler: MeterHandler) { destroy(handler) }
    public func destroyFloatingPointCounter(_ handler: FloatingPointCounterHandler) { destroy(handler) }
    public func destroyRecorder(_ handler: RecorderHandler) { destroy(handler) }
    public func destroyTimer(_ handler: TimerHandler) { destroy(handler) }

    // MARK: Handler table

    /// The cached handler for the metric, or a new one from `make(attributes, key)`.
    private func handler<Handler: BridgedHandler>(
        _ kind: HandlerKey.Kind, _ label: String, _ dimensions: [(String, String)],
        _ make: (AttributeSet, HandlerKey) -> Handler
    ) -> Handler {
        let handler = handlers.handler(kind, label, dimensions) { key in
            make(AttributeSet(dimensions.map { Attribute($0.0, .string($0.1)) }), key)
        }
        // The key's kind decides the handler's class, so no dynamic cast is needed.
        return unsafeDowncast(handler, to: Handler.self)
    }

    private func destroy(_ handler: AnyObject) {
        guard let bridged = handler as? any BridgedHandler else { return }
        handlers.remove(bridged)
        bridged.release()
    }
}
