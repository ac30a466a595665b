// lambda-bench: Lambda micro-benchmarks of the entity function, run in lambda-sim in process against an in-process
// otlp-receiver that never stalls. Three builds of the same handler (EntityAPI) sit next to this executable:
// example-entity-api (this repository's SDK), swiftotel-entity-api (swift-otel 1.6.0) and bare-entity-api (no
// telemetry).
//
//   lambda-bench coldstart [--runs 20]      Init phase per build: bootstrap spawned -> runtime and extensions'
//                                           first `next`, one fresh emulator per cold start, builds alternating
//   lambda-bench overhead [--invocations 1000]
//                                           caller latency and billed duration per flush strategy and without
//                                           telemetry, one warm sandbox each, invocations alternating
//   lambda-bench memory [--invocations 100000] [--sample-at 10000]
//                                           the sandbox's RSS after 10k and after 100k invocations
//
// One RESULT line per build on stdout (run.sh collects them), a readable line per build on stderr.

import BenchSupport

let arguments = Arguments()
let collector = try await Collector.start()
switch arguments.command {
case "coldstart":
    try await ColdStartBench(runs: arguments.int("runs", 20), collector: collector).run()
case "overhead":
    try await OverheadBench(invocations: arguments.int("invocations", 1000), collector: collector).run()
case "memory":
    try await MemoryBench(
        invocations: arguments.int("invocations", 100_000),
        sampleAt: arguments.int("sample-at", 10_000),
        collector: collector
    ).run()
default:
    fatalError("usage: lambda-bench coldstart|overhead|memory [options] (see the comment in main.swift)")
}
try await collector.stop()
