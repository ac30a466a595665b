// Helpers shared by ours-bench and swiftotel-bench, so that both run exactly the same workload and
// measure it the same way. Nothing here knows either SDK: it speaks swift-distributed-tracing only.

import Foundation
import Logging
import Synchronization
import Tracing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// MARK: - Command line

/// `--name value` pairs and bare `--flag`s after the subcommand.
public struct Arguments: Sendable {
    public let command: String
    private var values: [String: String] = [:]

    public init(_ arguments: [String] = CommandLine.arguments) {
        command = arguments.count > 1 ? arguments[1] : ""
        var index = 2
        while index < arguments.count {
            let name = arguments[index]
            guard name.hasPrefix("--") else {
                fatalError("unexpected argument \(name)")
            }
            let key = String(name.dropFirst(2))
            if index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                values[key] = arguments[index + 1]
                index += 2
            } else {
                values[key] = "true"
                index += 1
            }
        }
    }

    public func string(_ name: String, _ defaultValue: String) -> String { values[name] ?? defaultValue }
    public func optionalString(_ name: String) -> String? { values[name] }
    public func int(_ name: String, _ defaultValue: Int) -> Int {
        guard let raw = values[name] else { return defaultValue }
        guard let value = Int(raw.replacingOccurrences(of: "_", with: "")) else { fatalError("--\(name) must be an integer") }
        return value
    }
    public func double(_ name: String, _ defaultValue: Double) -> Double {
        guard let raw = values[name] else { return defaultValue }
        guard let value = Double(raw) else { fatalError("--\(name) must be a number") }
        return value
    }
    public func flag(_ name: String) -> Bool { values[name] == "true" }
}

// MARK: - Clocks and memory

/// Monotonic nanoseconds.
@inline(__always)
public func nowNanos() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// CPU time (user + system) of the whole process, every thread, in nanoseconds.
public func processCPUNanos() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// A field of /proc/<pid>/status in bytes (`VmHWM`: peak resident set, `VmRSS`: current); this process's by default.
public func procStatusBytes(_ field: String, pid: String = "self") -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return -1 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        let digits = line.dropFirst(field.count + 1).filter { $0.isNumber }
        return (Int(String(digits)) ?? -1) * 1024
    }
    return -1
}

public func peakRSSBytes() -> Int { procStatusBytes("VmHWM") }
public func currentRSSBytes() -> Int { procStatusBytes("VmRSS") }

// MARK: - The workload

/// The span every benchmark records: a name and five string attributes (all literals, so that no
/// benchmark measures string formatting).
public enum Workload {
    public static let spanName = "bench.span"

    @inlinable
    public static func setAttributes(_ span: some Span) {
        span.attributes["http.request.method"] = "GET"
        span.attributes["url.path"] = "/api/v1/items"
        span.attributes["server.address"] = "example.com"
        span.attributes["user_agent.original"] = "bench/1.0"
        span.attributes["faas.trigger"] = "http"
    }

    /// The same five attributes in one `updateAttributes` call (one read and one write of the set).
    @inlinable
    public static func updateAttributes(_ span: some Span) {
        span.updateAttributes { attributes in
            attributes["http.request.method"] = "GET"
            attributes["url.path"] = "/api/v1/items"
            attributes["server.address"] = "example.com"
            attributes["user_agent.original"] = "bench/1.0"
            attributes["faas.trigger"] = "http"
        }
    }

    /// `count` spans through the globally bootstrapped tracer, as instrumented code does.
    @inlinable
    public static func globalSpans(_ count: Int, update: Bool = false) {
        for _ in 0..<count {
            withSpan(spanName, ofKind: .server) { span in
                if update { updateAttributes(span) } else { setAttributes(span) }
            }
        }
    }

    /// `count` spans through a concrete tracer: `startSpan`, attributes, `end`.
    @inlinable
    public static func directSpans<T: Tracer>(_ tracer: T, _ count: Int, update: Bool = false) {
        for _ in 0..<count {
            let span = tracer.startSpan(spanName, ofKind: .server)
            if update { updateAttributes(span) } else { setAttributes(span) }
            span.end()
        }
    }

    /// Runs `body(task)` on `tasks` concurrent tasks and returns the wall time in nanoseconds.
    public static func concurrently(tasks: Int, _ body: @escaping @Sendable (Int) -> Void) async -> UInt64 {
        // A start barrier, so that every task begins its loop at (nearly) the same moment.
        let barrier = StartBarrier()
        return await withTaskGroup(of: UInt64.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    if barrier.ready.add(1, ordering: .acquiringAndReleasing).newValue == tasks {
                        barrier.start.store(nowNanos(), ordering: .releasing)
                    }
                    while barrier.ready.load(ordering: .acquiring) < tasks {}
                    body(task)
                    return nowNanos()
                }
            }
            var end: UInt64 = 0
            for await finished in group { end = max(end, finished) }
            return end - barrier.start.load(ordering: .acquiring)
        }
    }
}

final class StartBarrier: Sendable {
    let ready = Atomic<Int>(0)
    let start = Atomic<UInt64>(0)
}

final class Counter: Sendable {
    let value = Atomic<Int>(0)
}

/// Spans produced by `tasks` concurrent tasks until `seconds` have passed or `stop` says so.
/// Returns the spans produced and the wall time.
public func produceUntil(
    seconds: Double, tasks: Int, stop: @escaping @Sendable () -> Bool, _ produce: @escaping @Sendable (Int) -> Void
) async -> (spans: Int, nanos: UInt64) {
    let total = Counter()
    let deadline = nowNanos() + UInt64(seconds * 1e9)
    let nanos = await Workload.concurrently(tasks: tasks) { _ in
        var produced = 0
        while nowNanos() < deadline, !stop() {
            produce(256)
            produced += 256
        }
        total.value.add(produced, ordering: .relaxed)
    }
    return (total.value.load(ordering: .relaxed), nanos)
}

/// Reads VmRSS every 20 ms on a thread of its own; `exceeded` turns true past `limitBytes`.
public final class RSSWatchdog: Sendable {
    private let limitBytes: Int
    private let flag = Atomic<Bool>(false)
    private let running = Atomic<Bool>(true)
    private let peak = Atomic<Int>(0)

    public init(limitBytes: Int) {
        self.limitBytes = limitBytes
        let thread = Thread { [self] in
            while running.load(ordering: .relaxed) {
                let rss = currentRSSBytes()
                if rss > peak.load(ordering: .relaxed) { peak.store(rss, ordering: .relaxed) }
                if rss > limitBytes { flag.store(true, ordering: .relaxed) }
                usleep(20_000)
            }
        }
        thread.start()
    }

    public var exceeded: Bool { flag.load(ordering: .relaxed) }
    public func stop() { running.store(false, ordering: .relaxed) }
}

// MARK: - Results

/// One JSON object on standard output per run; run.sh collects them.
public struct Result {
    public var fields: [String: Any] = [:]

    public init(bench: String, impl: String) {
        fields["bench"] = bench
        fields["impl"] = impl
        fields["rss_peak_bytes"] = 0
    }

    public subscript(key: String) -> Any? {
        get { fields[key] }
        set { fields[key] = newValue }
    }

    public func emit() {
        var fields = self.fields
        fields["rss_peak_bytes"] = peakRSSBytes()
        let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        FileHandle.standardOutput.write(Data("RESULT ".utf8) + data + Data("\n".utf8))
    }
}

public func log(_ message: String) {
    FileHandle.standardError.write(Data(("bench: " + message + "\n").utf8))
}

// MARK: - Diagnostics capture (swift-otel reports drops only in log lines)

/// Counts warnings and errors, and sums the `dropped_count` metadata of the ones that carry it.
public struct CountingLogHandler: LogHandler {
    public static let warnings = Atomic<Int>(0)
    public static let droppedCount = Atomic<Int>(0)
    public static let echo = Atomic<Bool>(false)

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .warning
    public let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        guard event.level >= .warning else { return }
        Self.warnings.add(1, ordering: .relaxed)
        let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
        if case .string(let value)? = merged["dropped_count"], let dropped = Int(value) {
            Self.droppedCount.add(dropped, ordering: .relaxed)
        } else if case .stringConvertible(let value)? = merged["dropped_count"], let dropped = Int("\(value)") {
            Self.droppedCount.add(dropped, ordering: .relaxed)
        }
        if Self.echo.load(ordering: .relaxed) || Self.warnings.load(ordering: .relaxed) <= 5 {
            FileHandle.standardError.write(Data("[\(label)] \(event.level): \(event.message) \(merged)\n".utf8))
        }
    }
}
