// encode --spans N --batch B --compression gzip|none [--distinct D]
//
// The exporter's preparation step alone: each batch of B spans (the same five attributes as every
// span benchmark) encoded through libprotobuf-c and, with gzip, compressed, as
// `OTLPExporter.prepare` does while the previous request is in flight. No HTTP, no receiver: CPU per
// span of the work a flush cannot overlap with anything on a single core. Deterministic enough for
// `valgrind --tool=callgrind` (instruction counts) on a loaded machine. `--distinct D` cycles
// through D different spans (a flush's backlog, out of cache) instead of one batch's worth.

import BenchSupport
import OTelSDK
import OTLPHTTP

func encodeBenchmark() {
    let total = arguments.int("spans", 200_000)
    let batchSize = arguments.int("batch", 512)
    let compression = arguments.string("compression", "gzip")

    let collector = CollectingProcessor()
    let provider = TracerProvider(environment: environment(endpoint: nil), processors: [collector])
    Workload.directSpans(provider.tracer(name: "bench"), max(batchSize, arguments.int("distinct", batchSize)))
    let made = collector.spans.withLock { $0 }
    let batches = stride(from: 0, to: made.count - batchSize + 1, by: batchSize).map { Array(made[$0..<$0 + batchSize]) }
    // Never contacted: prepare only encodes.
    let exporter = OTLPSpanExporter(environment: environment(endpoint: "http://127.0.0.1:9", compression: compression))
    _ = exporter.prepare(batches[0])  // warm-up: buffers, zlib state

    let rounds = max(1, total / batchSize)
    let cpuStart = processCPUNanos()
    for round in 0..<rounds {
        _ = exporter.prepare(batches[round % batches.count])
    }
    let cpu = processCPUNanos() - cpuStart
    let spans = rounds * batchSize

    var result = Result(bench: "encode", impl: "ours")
    result["compression"] = compression
    result["batch"] = batchSize
    result["spans"] = spans
    result["distinct"] = batches.count * batchSize
    result["cpu_ns_per_span"] = Double(cpu) / Double(spans)
    result.emit()
}
