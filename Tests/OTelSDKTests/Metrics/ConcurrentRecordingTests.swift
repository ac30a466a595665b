import Metrics
import OTelSDK
import Testing

/// Many tasks recording into one series at once: the cells spread over per-CPU lanes on the first
/// collision, and nothing may be lost or counted twice on the way, including measurements that race
/// a collection; metrics created on every call go through per-CPU caches of the handler table.
@Suite("Concurrent recording", .timeLimit(.minutes(5)))
struct ConcurrentRecordingTests {
    static let tasks = 8
    static let perTask = 20_000

    @Test("kept integer and floating-point counters shared by many tasks sum exactly")
    func countersSumExactly() async throws {
        let harness = MetricsHarness()
        let factory = OTelMetricsFactory(meter: harness.meter)
        let counter = Counter(label: "hits", factory: factory)
        let floating = FloatingPointCounter(label: "weight", factory: factory)
        let bound = harness.meter.counter(name: "bound", of: Int64.self).bind([])
        await Self.concurrently { task in
            for index in 0..<Self.perTask {
                counter.increment(by: Int64(task + 1))
                floating.increment(by: 0.5)
                bound.add(Int64(index & 3))
            }
        }
        let collected = await harness.collect()
        // Σ over tasks of (task + 1) per operation; halves and small integers add exactly in a Double.
        let expected = Int64(Self.perTask * Self.tasks * (Self.tasks + 1) / 2)
        #expect(collected["hits"]?.sum?.points.first?.int == expected)
        #expect(collected["weight"]?.sum?.points.first?.double == Double(Self.tasks * Self.perTask) * 0.5)
        #expect(collected["bound"]?.sum?.points.first?.int == Int64(Self.tasks * Self.perTask / 4 * 6))
    }

    @Test("histograms and timers shared by many tasks: exact count, buckets, sum, min and max")
    func histogramsExact() async throws {
        let harness = MetricsHarness()
        let factory = OTelMetricsFactory(meter: harness.meter)
        let recorder = Recorder(label: "sizes", factory: factory)
        let timer = Timer(label: "durations", factory: factory)
        await Self.concurrently { _ in
            for index in 0..<Self.perTask {
                recorder.record(Double(index % 1000))
                timer.recordNanoseconds(Int64(index % 4) * 1_000_000)
            }
        }
        let collected = await harness.collect()
        let sizes = try #require(collected["sizes"]?.histogram?.points.first)
        let total = UInt64(Self.tasks * Self.perTask)
        #expect(sizes.count == total && sizes.bucketCounts.reduce(0, +) == total)
        #expect(sizes.sum == Double(Self.tasks * Self.perTask / 1000 * (999 * 1000 / 2)))
        #expect(sizes.min == 0 && sizes.max == 999)
        // Default bounds [0, 5, 10, 25, …]: 0 alone in the first bucket, 1…5 in the second.
        #expect(sizes.bucketCounts[0] == total / 1000 && sizes.bucketCounts[1] == total / 1000 * 5)
        let durations = try #require(collected["durations"]?.histogram?.points.first)
        #expect(durations.count == total)
        // 0, 1, 2, 3 ms: ≤ 5 ms, all in the first bucket.
        #expect(durations.bucketCounts.first == total)
        #expect(abs(durations.sum - Double(Self.tasks * Self.perTask / 4) * 0.006) < 1e-9)
    }

    @Test("delta collections racing many recording tasks: the deltas add up to every measurement, once")
    func deltasAcrossCollections() async throws {
        let harness = MetricsHarness(.delta)
        let factory = OTelMetricsFactory(meter: harness.meter)
        let counter = Counter(label: "hits", factory: factory)
        let recorder = Recorder(label: "sizes", factory: factory)
        var counted: Int64 = 0
        var recorded: UInt64 = 0
        var summed = 0.0
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<Self.tasks {
                group.addTask {
                    for _ in 0..<Self.perTask {
                        counter.increment()
                        recorder.record(2)
                    }
                }
            }
            // Collect while the tasks record, then once more for the rest. The yield between collections
            // is part of the workload (it lets the recording tasks run in between), not a wait for anything.
            for _ in 0..<20 {
                let collected = await harness.collect()
                counted += collected["hits"]?.sum?.points.first?.int ?? 0
                recorded += collected["sizes"]?.histogram?.points.first?.count ?? 0
                summed += collected["sizes"]?.histogram?.points.first?.sum ?? 0
                await Task.yield()
            }
            await group.waitForAll()
        }
        let last = await harness.collect()
        counted += last["hits"]?.sum?.points.first?.int ?? 0
        recorded += last["sizes"]?.histogram?.points.first?.count ?? 0
        summed += last["sizes"]?.histogram?.points.first?.sum ?? 0
        #expect(counted == Int64(Self.tasks * Self.perTask))
        #expect(recorded == UInt64(Self.tasks * Self.perTask))
        #expect(summed == Double(Self.tasks * Self.perTask) * 2)
    }

    @Test("a metric created on every call by many tasks: one series, every increment counted; destroyed through one handle, every later call gets a new series")
    func createdOnEveryCall() async throws {
        let harness = MetricsHarness()
        let factory = OTelMetricsFactory(meter: harness.meter)
        let dimensions = [("http.route", "/items")]
        let total = Int64(Self.tasks * Self.perTask)
        await Self.concurrently { _ in
            for _ in 0..<Self.perTask { Counter(label: "requests", dimensions: dimensions, factory: factory).increment() }
        }
        #expect(await harness.collect()["requests"]?.sum?.points.map(\.int) == [total])

        // Every CPU's cache now holds a handler of the series; destroying one handle must end it for all.
        Counter(label: "requests", dimensions: dimensions, factory: factory).destroy()
        await Self.concurrently { _ in
            for _ in 0..<Self.perTask { Counter(label: "requests", dimensions: dimensions, factory: factory).increment() }
        }
        // The destroyed series' last collection (cumulative: still `total`) and the new series with
        // every later increment: one that went to the destroyed series would show in both points.
        let points = try #require(await harness.collect()["requests"]?.sum?.points)
        #expect(points.map(\.int) == [total, total])
    }

    /// Runs `body(task)` on `tasks` child tasks at once.
    static func concurrently(_ body: @escaping @Sendable (Int) -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask { body(task) }
            }
        }
    }
}
