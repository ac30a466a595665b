import OTelSDK
import OTelTesting

/// A provider with one periodic reader that never ticks by itself (a one-hour interval) and an
/// in-memory exporter: `collect()` flushes and returns what that flush exported.
struct MetricsHarness {
    let exporter: InMemoryExporter<MetricData>
    let reader: PeriodicExportingMetricReader
    let provider: MeterProvider

    init(
        _ preference: TemporalityPreference = .cumulative, cardinalityLimit: Int = MeterProvider.defaultCardinalityLimit,
        exporter: InMemoryExporter<MetricData> = InMemoryExporter()
    ) {
        self.exporter = exporter
        reader = PeriodicExportingMetricReader(exporter: exporter, interval: .seconds(3600), temporalityPreference: preference)
        provider = MeterProvider(resource: Fixtures.resource, readers: [reader], cardinalityLimit: cardinalityLimit)
    }

    var meter: OTelMeter { provider.meter(name: "tests") }

    /// Flushes and returns the metrics the flush exported, by name.
    func collect() async -> [String: MetricData] {
        let before = exporter.exported.count
        _ = await provider.forceFlush(deadline: .now + .seconds(5))
        let exported = exporter.exported.dropFirst(before)
        return Dictionary(exported.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    }
}

extension MetricData {
    var sum: SumPoints? {
        if case .sum(let sum) = points { return sum }
        return nil
    }

    var gauge: [NumberDataPoint]? {
        if case .gauge(let points) = points { return points }
        return nil
    }

    var histogram: HistogramPoints? {
        if case .histogram(let histogram) = points { return histogram }
        return nil
    }
}

extension NumberDataPoint {
    var int: Int64? {
        if case .int(let value) = value { return value }
        return nil
    }

    var double: Double? {
        if case .double(let value) = value { return value }
        return nil
    }
}
