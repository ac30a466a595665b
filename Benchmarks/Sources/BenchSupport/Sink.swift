// The local OTLP/HTTP sink: this repository's OTLPReceiver, either in this process (when the
// benchmark needs the received bodies, to count distinct spans) or as a separate `otlp-receiver`
// process (when it must not share the benchmark's memory or CPU accounting).

import Foundation
import OTLPReceiver

#if canImport(Glibc)
import Glibc
#endif

/// Where the spans go, and how many arrived.
public protocol Sink: Sendable {
    /// The base endpoint, e.g. `http://127.0.0.1:4318` (no `/v1/traces`).
    var endpoint: String { get }
    /// Waits until `count` spans were accepted or `timeout` passed; returns whether they were.
    func waitForSpans(_ count: Int, timeout: Duration) async -> Bool
    /// Stops the sink and returns what it received.
    func finish() async -> SinkReport
}

public struct SinkReport: Sendable {
    public var requests: Int
    public var spans: Int
    /// Distinct (trace ID, span ID) pairs among the captured bodies; nil when bodies were not captured.
    public var distinctSpans: Int?
    public var bytesReceived: Int
    public var gzipRequests: Int
    /// Log records received (`/v1/logs`); -1 when unknown.
    public var logRecords: Int = -1

    public func record(into result: inout Result) {
        result["sink_requests"] = requests
        result["delivered"] = spans
        if let distinctSpans { result["delivered_distinct"] = distinctSpans }
        result["sink_bytes"] = bytesReceived
        result["sink_gzip_requests"] = gzipRequests
    }
}

/// An `OTLPReceiver` inside this process that keeps every trace body, to count distinct spans.
public final class InProcessSink: Sink {
    public let receiver: OTLPReceiver
    private let capturing: Bool

    public init(captureBodies: Bool) async throws {
        capturing = captureBodies
        receiver = try await OTLPReceiver.start(configuration: .init(captureBodies: captureBodies ? 1 << 20 : 0))
    }

    public var endpoint: String { "http://127.0.0.1:\(receiver.port)" }

    public var spansSoFar: Int { receiver.summary.traces.items }

    public func waitForSpans(_ count: Int, timeout: Duration) async -> Bool {
        await receiver.waitForItems(.traces, atLeast: count, timeout: timeout)
    }

    /// Distinct spans among the bodies captured so far.
    public func distinctSpans() -> Int {
        var seen = Set<SpanKey>()
        for body in receiver.capturedBodies(for: .traces) {
            OTLPSpanKeys.collect(body, into: &seen)
        }
        return seen.count
    }

    public func finish() async -> SinkReport {
        try? await receiver.stop()
        let traces = receiver.summary.traces
        return SinkReport(
            requests: traces.requests, spans: traces.items,
            distinctSpans: capturing ? distinctSpans() : nil,
            bytesReceived: traces.bytesReceived, gzipRequests: traces.gzipRequests,
            logRecords: receiver.summary.logs.items
        )
    }
}

/// The `otlp-receiver` executable in a process of its own; counts come from its `--summary` file.
public final class ExternalSink: Sink {
    private let process: Process
    private let directory: String
    public let endpoint: String

    public init(binary: String) throws {
        directory = NSTemporaryDirectory() + "bench-sink-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "0", "--port-file", directory + "/port", "--summary", directory + "/summary.json"]
        try process.run()
        let portFile = directory + "/port"
        let deadline = nowNanos() + 10_000_000_000
        while !FileManager.default.fileExists(atPath: portFile) {
            guard nowNanos() < deadline, process.isRunning else { fatalError("otlp-receiver did not start") }
            usleep(5_000)
        }
        let port = try String(contentsOfFile: portFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        endpoint = "http://127.0.0.1:\(port)"
    }

    public func waitForSpans(_ count: Int, timeout: Duration) async -> Bool {
        // The summary only exists at exit; callers of an external sink rely on the SDK's own flush.
        false
    }

    public func finish() async -> SinkReport {
        process.terminate()  // SIGTERM: the receiver writes its summary and exits 0.
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        guard let data = FileManager.default.contents(atPath: directory + "/summary.json"),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let traces = object["traces"] as? [String: Any]
        else {
            log("otlp-receiver wrote no summary")
            return SinkReport(requests: -1, spans: -1, distinctSpans: nil, bytesReceived: -1, gzipRequests: -1)
        }
        return SinkReport(
            requests: traces["requests"] as? Int ?? -1, spans: traces["items"] as? Int ?? -1, distinctSpans: nil,
            bytesReceived: traces["bytesReceived"] as? Int ?? -1, gzipRequests: traces["gzipRequests"] as? Int ?? -1,
            logRecords: (object["logs"] as? [String: Any])?["items"] as? Int ?? -1
        )
    }
}

/// Makes the sink a benchmark asked for: `--sink external --receiver-bin PATH` or `--sink inprocess`.
public func makeSink(_ arguments: Arguments, capture: Bool) async throws -> any Sink {
    switch arguments.string("sink", "inprocess") {
    case "endpoint":
        // A receiver someone else runs (for profiling this process alone); nothing is counted.
        return FixedEndpointSink(endpoint: arguments.string("endpoint", "http://127.0.0.1:4318"))
    case "external":
        guard let binary = arguments.optionalString("receiver-bin") else { fatalError("--sink external needs --receiver-bin") }
        return try ExternalSink(binary: binary)
    default:
        return try await InProcessSink(captureBodies: capture)
    }
}

/// An endpoint served by a receiver this process does not own.
public struct FixedEndpointSink: Sink {
    public let endpoint: String
    public func waitForSpans(_ count: Int, timeout: Duration) async -> Bool { false }
    public func finish() async -> SinkReport {
        SinkReport(requests: -1, spans: -1, distinctSpans: nil, bytesReceived: -1, gzipRequests: -1)
    }
}

// MARK: - Reading span IDs out of OTLP bodies

public struct SpanKey: Hashable, Sendable {
    var traceHigh: UInt64 = 0
    var traceLow: UInt64 = 0
    var span: UInt64 = 0
}

/// A minimal protobuf walker: ExportTraceServiceRequest.resource_spans(1).scope_spans(2).spans(2),
/// reading trace_id(1) and span_id(2) of each span. Enough to count distinct spans.
enum OTLPSpanKeys {
    static func collect(_ body: [UInt8], into seen: inout Set<SpanKey>) {
        body.withUnsafeBufferPointer { buffer in
            forEachField(buffer, 0, buffer.count) { field, start, end in
                guard field == 1 else { return }  // resource_spans
                forEachField(buffer, start, end) { field, start, end in
                    guard field == 2 else { return }  // scope_spans
                    forEachField(buffer, start, end) { field, start, end in
                        guard field == 2 else { return }  // spans
                        var key = SpanKey()
                        forEachField(buffer, start, end) { field, start, end in
                            if field == 1, end - start == 16 {
                                key.traceHigh = load(buffer, start)
                                key.traceLow = load(buffer, start + 8)
                            } else if field == 2, end - start == 8 {
                                key.span = load(buffer, start)
                            }
                        }
                        seen.insert(key)
                    }
                }
            }
        }
    }

    private static func load(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<8 { value = value << 8 | UInt64(buffer[offset + index]) }
        return value
    }

    private static func varint(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: inout Int) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < buffer.count {
            let byte = buffer[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return value
    }

    /// Calls `body(fieldNumber, start, end)` for every length-delimited field in `[start, end)`.
    private static func forEachField(
        _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ body: (Int, Int, Int) -> Void
    ) {
        var offset = start
        while offset < end {
            let tag = varint(buffer, &offset)
            let field = Int(tag >> 3)
            switch tag & 7 {
            case 0: _ = varint(buffer, &offset)
            case 1: offset += 8
            case 5: offset += 4
            case 2:
                let length = Int(varint(buffer, &offset))
                body(field, offset, offset + length)
                offset += length
            default: return  // groups: not used by OTLP
            }
        }
    }
}
