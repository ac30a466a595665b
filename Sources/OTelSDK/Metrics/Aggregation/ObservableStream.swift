import NIOConcurrencyHelpers

/// An observable instrument: callbacks that report absolute values at each collection, turned into
/// measurements of the same series storage the synchronous instruments use.
///
/// Observable counters and up-down counters report totals; the difference from the previous
/// observation of the series is added to its cell, so cumulative readers see the observed total and
/// delta readers the change since their previous collection. Gauges set the observed value.
/// Callbacks run on the collecting thread, one instrument at a time (the provider serializes
/// collections); a callback must not block.
final class ObservableStream<Value: MetricValue>: MetricStream {
    enum Storage {
        case sum(SeriesStorage<SumAggregation>)
        case gauge(SeriesStorage<GaugeAggregation>)
    }

    let storage: Storage
    private let callbacks = NIOLockedValueBox<[@Sendable (ObservableResult<Value>) -> Void]>([])
    /// Per series, the total observed last (sums only).
    private let lastObserved = NIOLockedValueBox<[AttributeSet: Value]>([:])

    init(storage: Storage) {
        self.storage = storage
    }

    var descriptor: InstrumentDescriptor {
        switch storage {
        case .sum(let storage): storage.descriptor
        case .gauge(let storage): storage.descriptor
        }
    }

    func addCallback(_ callback: @escaping @Sendable (ObservableResult<Value>) -> Void) {
        callbacks.withLockedValue { $0.append(callback) }
    }

    func collect(reader: Int, temporality: AggregationTemporality, now: UInt64) -> MetricData? {
        let result = ObservableResult<Value>()
        for callback in callbacks.withLockedValue({ $0 }) {
            callback(result)
        }
        let observations = result.close()
        switch storage {
        case .sum(let storage):
            lastObserved.withLockedValue { last in
                for (attributes, value) in observations {
                    guard value.isFiniteMeasurement else {
                        NonFiniteMeasurements.drop(instrument: storage.descriptor.name, value: value.metricDoubleValue)
                        continue
                    }
                    let cell = storage.cell(for: attributes)
                    if let previous = last[attributes] {
                        if Value.isMetricInteger {
                            cell.add(value.metricIntegerValue &- previous.metricIntegerValue)
                        } else {
                            cell.add(value.metricDoubleValue - previous.metricDoubleValue)
                        }
                    } else {
                        cell.add(value)
                    }
                    last[attributes] = value
                }
            }
            return storage.collect(reader: reader, temporality: temporality, now: now)
        case .gauge(let storage):
            for (attributes, value) in observations {
                storage.cell(for: attributes).set(value)
            }
            return storage.collect(reader: reader, temporality: temporality, now: now)
        }
    }
}
