import ArgumentParser
import Dispatch
import OTLPReceiver

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension OTLPSignal: ExpressibleByArgument {}
extension ReceiverFaults.GarbageKind: ExpressibleByArgument {}

@main
struct OTLPReceiverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "otlp-receiver",
        abstract: "An OTLP/HTTP receiver for tests and benchmarks: counts what it receives, can inject faults.",
        discussion: """
            Serves POST /v1/traces, /v1/metrics and /v1/logs (application/x-protobuf, optionally gzip). \
            Runs until SIGTERM or SIGINT (or --exit-after-items), then writes --summary and exits 0. \
            "Every N" counts export requests across signals, starting at 1.
            """
    )

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind; 0 picks a free one (see --port-file).")
    var port = 4318

    @Option(help: "Write the bound port to this file once listening (atomically).")
    var portFile: String?

    @Option(help: "Write the JSON summary (counters, distinct spans) to this file ('-' for standard output) at exit.")
    var summary: String?

    @Option(help: "Largest request body, on the wire and decompressed; larger ones get 413.")
    var maxBodyBytes = 64 << 20

    @Option(help: "Most connections open at once; one beyond them is closed when accepted.")
    var maxConnections = 1024

    @Option(help: "Close a connection silent for this many seconds (fractions allowed); 0 never does.")
    var idleTimeout = 60.0

    @Option(help: "Span identities remembered to count duplicates (the most recent ones); see forgottenIdentities.")
    var maxTrackedSpans = 1 << 20

    @Option(help: "Stall every Nth request for --stall-seconds before answering.")
    var stallEvery: Int?
    @Option(help: "How long a stall lasts, in seconds (fractions allowed).")
    var stallSeconds = 1.0

    @Option(help: "Answer every Nth request with --fail-status and no items counted.")
    var failEvery: Int?
    @Option(help: "Status code of injected failures.")
    var failStatus = 503
    @Option(help: "Retry-After header of injected failures, in seconds.")
    var retryAfter: Int?

    @Option(help: "Close the connection of every Nth request without answering.")
    var dropEvery: Int?

    @Option(help: "Answer every Nth request with a 200 whose body is garbage.")
    var garbageEvery: Int?
    @Option(help: "Kind of garbage: html or invalid-protobuf.")
    var garbageKind = ReceiverFaults.GarbageKind.invalidProtobuf

    @Option(help: "Answer every Nth request with a partial success rejecting --partial-rejected items.")
    var partialEvery: Int?
    @Option(help: "Items rejected by each injected partial success.")
    var partialRejected: Int64 = 1

    @Option(help: "Exit (writing the summary) once this many items of --signal have been accepted.")
    var exitAfterItems: Int?
    @Option(name: .customLong("signal"), help: "Signal counted by --exit-after-items: traces, metrics or logs.")
    var countedSignal = OTLPSignal.traces

    @Flag(help: "Print one line per request to standard output.")
    var verbose = false

    func validate() throws {
        for (name, value) in [
            ("--stall-every", stallEvery), ("--fail-every", failEvery), ("--drop-every", dropEvery),
            ("--garbage-every", garbageEvery), ("--partial-every", partialEvery),
        ] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1") }
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard stallSeconds >= 0, stallSeconds.isFinite else { throw ValidationError("--stall-seconds must be >= 0") }
        guard (100...599).contains(failStatus) else { throw ValidationError("--fail-status must be 100...599") }
        if let retryAfter, retryAfter < 0 { throw ValidationError("--retry-after must be >= 0") }
        if let exitAfterItems, exitAfterItems < 0 { throw ValidationError("--exit-after-items must be >= 0") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
        guard idleTimeout >= 0, idleTimeout.isFinite else { throw ValidationError("--idle-timeout must be >= 0") }
        guard maxTrackedSpans >= 0 else { throw ValidationError("--max-tracked-spans must be >= 0") }
    }

    var faults: ReceiverFaults {
        ReceiverFaults(
            stall: stallEvery.map { .init(every: $0, duration: .milliseconds(Int64((stallSeconds * 1000).rounded()))) },
            failure: failEvery.map { .init(every: $0, status: failStatus, retryAfterSeconds: retryAfter) },
            drop: dropEvery.map { .init(every: $0) },
            garbage: garbageEvery.map { .init(every: $0, kind: garbageKind) },
            partialSuccess: partialEvery.map { .init(every: $0, rejected: partialRejected) }
        )
    }

    enum StopReason: Sendable {
        case signal(Int32)
        case itemsReached
    }

    func run() async throws {
        // Signals first, so that a SIGTERM right after the port file appears is not lost.
        let (stops, stop) = AsyncStream.makeStream(of: StopReason.self)
        let signalQueue = DispatchQueue(label: "otlp-receiver.signals")
        var signalSources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: signalQueue)
            source.setEventHandler { stop.yield(.signal(signalNumber)) }
            source.resume()
            signalSources.append(source)
        }
        defer { for source in signalSources { source.cancel() } }

        var configuration = OTLPReceiver.Configuration(
            host: host,
            port: port,
            maxBodyBytes: maxBodyBytes,
            maxDecompressedBytes: maxBodyBytes,
            faults: faults,
            maxConnections: maxConnections,
            idleTimeout: idleTimeout > 0 ? .milliseconds(Int64((idleTimeout * 1000).rounded())) : nil,
            maxTrackedSpans: maxTrackedSpans
        )
        if verbose {
            configuration.onRequest = { record in writeLine(record.description) }
        }
        let receiver = try await OTLPReceiver.start(configuration: configuration)
        if verbose { writeLine("otlp-receiver listening on \(receiver.endpoint)") }
        if let portFile {
            try writeFile(portFile, Array("\(receiver.port)\n".utf8))
        }

        var waiter: Task<Void, Never>?
        if let exitAfterItems {
            let signal = countedSignal
            waiter = Task {
                if await receiver.wait(until: { $0[signal].items >= exitAfterItems }) {
                    stop.yield(.itemsReached)
                }
            }
        }

        var reason: StopReason?
        for await next in stops {
            reason = next
            break
        }
        waiter?.cancel()
        try await receiver.stop()

        let summary = receiver.summary
        if verbose {
            switch reason {
            case .signal(let number): writeLine("otlp-receiver stopping on signal \(number)")
            case .itemsReached:
                writeLine("otlp-receiver stopping: \(summary[countedSignal].items) \(countedSignal.rawValue) items")
            case nil: break
            }
            let traces = summary.traces
            writeLine(
                "otlp-receiver received: \(traces.items) spans (\(traces.distinctItems) distinct, "
                    + "\(traces.duplicateItems) duplicates), \(summary.metrics.items) metric points, "
                    + "\(summary.logs.items) log records"
            )
        }
        if let path = self.summary {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let json = Array(try encoder.encode(summary)) + [UInt8(ascii: "\n")]
            if path == "-" {
                writeBytes(json)
            } else {
                try writeFile(path, json)
            }
        }
    }
}

/// Writes a line to standard output at once (unbuffered, one `write(2)`), from any thread.
@Sendable
func writeLine(_ line: String) {
    writeBytes(Array((line + "\n").utf8))
}

func writeBytes(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}

/// Writes `bytes` to `path` atomically: readers see the old file or the whole new one.
func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(filePath: path), options: .atomic)
}
