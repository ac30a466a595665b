#!/usr/bin/env python3
"""Turns run.sh's raw RESULT lines into the comparison table and results.json.

Usage: summarize.py raw.jsonl machine.json results.json

Each row compares one metric of ours and of swift-otel over the repetitions of the same run.sh
invocation: median and min–max of each, and the ratio of the medians (ours / swift-otel).
"""
import json
import os
import statistics
import sys

raw_path, machine_path, out_path = sys.argv[1:4]
runs = [json.loads(line) for line in open(raw_path) if line.strip()]
machine = json.load(open(machine_path))
machine.setdefault("load_after", os.getloadavg())  # run.sh's machine.json has none; a re-summary keeps the first

MiB = 1 / 2**20

# (label, ours tag, swift-otel tag, metric, unit, scale, target for ours: (text, predicate) or None, lower is better)
ROWS = [
    ("calibration: withSpan + 5 attrs on NoOpTracer (API floor, no SDK)", "span/calibration/noop-tracer", None,
     "ns_per_span", "ns/span", 1, None, True),
    ("  same, attributes via one updateAttributes call", "span/calibration/noop-tracer/update", None,
     "ns_per_span", "ns/span", 1, None, True),
    ("span start+end, 5 attrs, 1 task, no-op exporter", "span/global/1task/noop", "span/global/1task/noop",
     "ns_per_span", "ns/span", 1, ("≤ 700 ns", lambda v: v <= 700), True),
    ("  same, CPU incl. background work", "span/global/1task/noop", "span/global/1task/noop",
     "cpu_ns_per_span_total", "CPU ns/span", 1, None, True),
    ("span start+end, 2 tasks, no-op exporter (per task)", "span/global/2tasks/noop", "span/global/2tasks/noop",
     "ns_per_span", "ns/span", 1, None, True),
    ("  same, aggregate throughput", "span/global/2tasks/noop", "span/global/2tasks/noop",
     "spans_per_sec", "spans/s", 1, None, False),
    ("  same, CPU incl. background work", "span/global/2tasks/noop", "span/global/2tasks/noop",
     "cpu_ns_per_span_total", "CPU ns/span", 1, None, True),
    ("  same, dropped (ours: flush report; swift-otel: logged)", "span/global/2tasks/noop", "span/global/2tasks/noop",
     "dropped|dropped_logged", "spans", 1, None, None),
    ("  same, peak RSS", "span/global/2tasks/noop", "span/global/2tasks/noop",
     "rss_peak_bytes", "MiB", MiB, None, True),
    ("same, attributes via one updateAttributes call", "span/global/1task/noop/update", "span/global/1task/noop/update",
     "ns_per_span", "ns/span", 1, ("≤ 700 ns", lambda v: v <= 700), True),
    ("span via tracer.startSpan+end, 1 task, no-op", "span/direct/1task/noop", "span/direct/1task/noop",
     "ns_per_span", "ns/span", 1, None, True),
    ("span start+end, 1 task, OTLP exporter to sink", "span/global/1task/otlp", "span/global/1task/otlp",
     "ns_per_span", "ns/span", 1, ("≤ 700 ns", lambda v: v <= 700), True),
    ("  same, CPU incl. export", "span/global/1task/otlp", "span/global/1task/otlp",
     "cpu_ns_per_span_total", "CPU ns/span", 1, None, True),
    ("  same, spans delivered (of warm-up + measured)", "span/global/1task/otlp", "span/global/1task/otlp",
     "delivered", "spans", 1, None, False),
    ("span start+end, 2 tasks, OTLP exporter (per task)", "span/global/2tasks/otlp", "span/global/2tasks/otlp",
     "ns_per_span", "ns/span", 1, None, True),
    ("  same, spans delivered", "span/global/2tasks/otlp", "span/global/2tasks/otlp",
     "delivered", "spans", 1, None, False),
    ("encode + gzip + POST (exporter alone, sink in another process)", "export/gzip", None,
     "spans_per_sec", "spans/s", 1, ("≥ 500k spans/s", lambda v: v >= 500_000), False),
    ("  exporter CPU per span", "export/gzip", None, "cpu_ns_per_span", "CPU ns/span", 1, None, True),
    ("encode + POST, uncompressed (exporter alone)", "export/none", None,
     "spans_per_sec", "spans/s", 1, None, False),
    ("  exporter CPU per span", "export/none", None, "cpu_ns_per_span", "CPU ns/span", 1, None, True),
    ("encode + gzip alone (prepare step, no HTTP; 100k distinct spans)", "encode/gzip", None,
     "cpu_ns_per_span", "CPU ns/span", 1, None, True),
    ("  encode alone, uncompressed", "encode/none", None, "cpu_ns_per_span", "CPU ns/span", 1, None, True),
    ("  gzip: wire bytes per span", "export/gzip", None, "bytes_per_span_wire", "B", 1, None, True),
    ("flush of 100k queued spans: forceFlush time", "flush/100k/queued", "flush/100k",
     "flush_ms", "ms", 1, None, True),
    ("  flush throughput (spans the flush exported / its time)", "flush/100k/queued", "flush/100k",
     "flush_spans_per_sec", "spans/s", 1, ("≥ 500k spans/s", lambda v: v >= 500_000), False),
    ("  spans already exported when the flush began", "flush/100k/queued", "flush/100k",
     "delivered_before_flush", "spans", 1, None, None),
    ("  ours uncompressed: forceFlush time", "flush/100k/queued/uncompressed", "flush/100k",
     "flush_ms", "ms", 1, None, True),
    ("  ours uncompressed: flush throughput", "flush/100k/queued/uncompressed", "flush/100k",
     "flush_spans_per_sec", "spans/s", 1, None, False),
    ("end 100k spans (withSpan) then forceFlush: total time", "flush/100k", "flush/100k",
     "total_ms", "ms", 1, None, True),
    ("  of which forceFlush", "flush/100k", "flush/100k", "flush_ms", "ms", 1, None, True),
    ("  distinct spans at the sink when the flush returned", "flush/100k", "flush/100k",
     "delivered_distinct_after_flush", "spans", 1, ("= 100,000", lambda v: v == 100_000), False),
    ("  spans received in total, after shutdown", "flush/100k", "flush/100k",
     "delivered", "spans", 1, ("= 100,000 (exactly once)", lambda v: v == 100_000), False),
    ("  distinct spans received in total", "flush/100k", "flush/100k",
     "delivered_distinct", "spans", 1, ("= 100,000", lambda v: v == 100_000), False),
    ("  peak RSS", "flush/100k", "flush/100k", "rss_peak_bytes", "MiB", MiB, None, True),
    ("overload, 2 tasks × 10 s: peak RSS", "overload/2tasks", "overload/2tasks",
     "rss_peak_bytes", "MiB", MiB, ("≤ 64 MiB", lambda v: v <= 64), True),
    ("  spans produced per second", "overload/2tasks", "overload/2tasks", "produced_per_sec", "spans/s", 1, None, False),
    ("  dropped (ours: flush report; swift-otel: logged)", "overload/2tasks", "overload/2tasks",
     "dropped|dropped_logged", "spans", 1, None, None),
    ("  spans delivered", "overload/2tasks", "overload/2tasks", "delivered", "spans", 1, None, False),
    ("  delivered fraction", "overload/2tasks", "overload/2tasks", "delivered_fraction", "", 1, None, False),
    ("  shutdown (final flush) time", "overload/2tasks", "overload/2tasks", "shutdown_ms", "ms", 1, None, True),
    ("overload, 1 task × 5 s: peak RSS", "overload/1task", "overload/1task",
     "rss_peak_bytes", "MiB", MiB, ("≤ 64 MiB", lambda v: v <= 64), True),
    ("  spans produced per second", "overload/1task", "overload/1task", "produced_per_sec", "spans/s", 1, None, False),
    ("  spans delivered", "overload/1task", "overload/1task", "delivered", "spans", 1, None, False),
    ("  delivered fraction", "overload/1task", "overload/1task", "delivered_fraction", "", 1, None, False),
    ("cold start: telemetrygen vs swift-otel minimal", "coldstart/telemetrygen", "coldstart/minimal",
     "median_ms", "ms", 1, None, True),
    ("cold start: minimal vs minimal", "coldstart/minimal", "coldstart/minimal",
     "median_ms", "ms", 1, None, True),
    ("binary, stripped: telemetrygen vs swift-otel minimal", "size/telemetrygen", "size/swiftotel-minimal",
     "stripped_bytes", "MiB", MiB, None, True),
    ("binary, stripped: minimal vs minimal", "size/ours-minimal", "size/swiftotel-minimal",
     "stripped_bytes", "MiB", MiB, None, True),
    # lambda-bench: the entity function in lambda-sim; each cell is over the per-repetition medians.
    ("Lambda cold start: Init (spawn → first next), entity function", "lambda/coldstart/ours/extension-gated",
     "lambda/coldstart/swift-otel", "init_median_ms", "ms", 1, None, True),
    ("  same, no telemetry (no SDK, no extension)", "lambda/coldstart/none", None, "init_median_ms", "ms", 1, None, True),
    ("  cold invocation's caller latency", "lambda/coldstart/ours/extension-gated", "lambda/coldstart/swift-otel",
     "first_response_median_ms", "ms", 1, None, True),
    ("Lambda warm invoke, no telemetry: caller p50", "lambda/invoke/none", None, "latency_p50_ms", "ms", 1, None, True),
    ("  caller p99", "lambda/invoke/none", None, "latency_p99_ms", "ms", 1, None, True),
    ("  billed p50", "lambda/invoke/none", None, "billed_p50_ms", "ms", 1, None, True),
]
for strategy in ("synchronous", "extension-gated", "runtime-gated", "periodic"):
    tag = f"lambda/invoke/ours/{strategy}"
    ROWS += [
        (f"Lambda warm invoke, {strategy}: caller p50 added to no telemetry", tag, None,
         "added_latency_p50_ms", "ms", 1, ("< 0.5 ms", lambda v: v < 0.5), True),
        ("  caller p99 added", tag, None, "added_latency_p99_ms", "ms", 1, ("< 0.5 ms", lambda v: v < 0.5), True),
        ("  billed p50 added", tag, None, "added_billed_p50_ms", "ms", 1, None, True),
    ]
ROWS += [
    ("Lambda memory: sandbox RSS after 10k invocations", "lambda/memory/ours/extension-gated", None,
     "rss_early_bytes", "MiB", MiB, None, True),
    ("  peak RSS after 100k, growth over that", "lambda/memory/ours/extension-gated", None,
     "peak_growth_fraction", "%", 100, ("≤ 5 %", lambda v: v <= 5), True),
]

# swift-metrics and swift-log on each SDK's backend (MetricsSystem / LoggingSystem bootstrapped).
for op, label, target in (
    ("counter", "swift-metrics Counter.increment, kept counter", ("≤ 6 ns", lambda v: v <= 6)),
    ("recorder", "swift-metrics Recorder.record (histogram), kept", ("≤ 15 ns", lambda v: v <= 15)),
    ("timer", "swift-metrics Timer.recordNanoseconds (histogram), kept", None),
    ("create-counter", "swift-metrics Counter(label:dimensions:).increment()", ("≤ 150 ns", lambda v: v <= 150)),
):
    ROWS += [
        (f"calibration: {label} on NOOPMetricsHandler (API floor, no SDK)", f"metrics/calibration/noop/{op}", None,
         "ns_per_op", "ns/op", 1, None, True),
        (f"{label}, 1 task", f"metrics/{op}/1task", f"metrics/{op}/1task", "ns_per_op", "ns/op", 1, target, True),
        ("  same, CPU", f"metrics/{op}/1task", f"metrics/{op}/1task", "cpu_ns_per_op", "CPU ns/op", 1, None, True),
        ("  same, 2 tasks (per task)", f"metrics/{op}/2tasks", f"metrics/{op}/2tasks", "ns_per_op", "ns/op", 1, target, True),
    ]
ROWS += [
    ("calibration: logger.info, 3 metadata, on a LogHandler that does nothing (API floor, no SDK)",
     "logs/calibration/discard", None, "ns_per_record", "ns/record", 1, None, True),
    ("  same, the handler reads event.source (derived from #fileID on each read)",
     "logs/calibration/discard-reading-source", None, "ns_per_record", "ns/record", 1, None, True),
    ("logger.info, 3 metadata, 1 task, no-op exporter", "logs/1task/noop", "logs/1task/noop",
     "ns_per_record", "ns/record", 1, ("≤ 700 ns", lambda v: v <= 700), True),
    ("  same, CPU of the calling loop (all threads)", "logs/1task/noop", "logs/1task/noop",
     "cpu_ns_per_record_loop", "CPU ns/record", 1, None, True),
    ("  same, dropped (queue full; ours: flush report; swift-otel: logged)", "logs/1task/noop", "logs/1task/noop",
     "dropped|dropped_logged", "records", 1, None, None),
    ("  same, 2 tasks (per task)", "logs/2tasks/noop", "logs/2tasks/noop",
     "ns_per_record", "ns/record", 1, ("≤ 700 ns", lambda v: v <= 700), True),
    ("  same, dropped", "logs/2tasks/noop", "logs/2tasks/noop", "dropped|dropped_logged", "records", 1, None, None),
    ("logs at 20k/s, OTLP to sink: records delivered of 100k", "logs/delivery/paced", "logs/delivery/paced",
     "delivered_logs", "records", 1, ("= 100,000", lambda v: v == 100_000), False),
    ("  dropped (ours: flush report; swift-otel: logged)", "logs/delivery/paced", "logs/delivery/paced",
     "dropped|dropped_logged", "records", 1, ("= 0", lambda v: v == 0), None),
    ("logs, 2 tasks flat out, OTLP: records delivered of 200k", "logs/delivery/burst", "logs/delivery/burst",
     "delivered_logs", "records", 1, None, False),
    ("  dropped (ours: flush report; swift-otel: logged)", "logs/delivery/burst", "logs/delivery/burst",
     "dropped|dropped_logged", "records", 1, None, None),
    ("  produced per second", "logs/delivery/burst", "logs/delivery/burst", "records_per_sec", "records/s", 1, None, False),
]


def values(tag, impl, metric):
    if tag is None:
        return []
    out = []
    for run in runs:
        if run.get("impl") != impl or run.get("tag") != tag or run.get("failed"):
            continue
        for name in metric.split("|"):
            if name in run:
                out.append(run[name])
                break
    return out


def stats(vals, scale):
    if not vals:
        return None
    if all(isinstance(v, bool) for v in vals):
        return None
    vals = [v * scale for v in vals]
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals), "n": len(vals)}


def fmt(x):
    if x is None:
        return "—"
    if x == 0:
        return "0"
    ax = abs(x)
    if ax >= 1e6:
        return f"{x / 1e6:.2f}M"
    if ax >= 1e4:
        return f"{x / 1e3:.0f}k"
    if ax >= 100:
        return f"{x:.0f}"
    if ax >= 1:
        return f"{x:.1f}"
    return f"{x:.3f}"


def cell(s):
    if s is None:
        return "—"
    if s["min"] == s["max"]:
        return fmt(s["median"])
    return f"{fmt(s['median'])} ({fmt(s['min'])}–{fmt(s['max'])})"


rows = []
for label, ours_tag, theirs_tag, metric, unit, scale, target, lower_better in ROWS:
    ours = stats(values(ours_tag, "ours", metric), scale)
    theirs = stats(values(theirs_tag, "swift-otel", metric), scale)
    if ours is None and theirs is None:
        continue
    ratio = None
    if ours and theirs and theirs["median"]:
        ratio = ours["median"] / theirs["median"]
    met = None
    if target and ours:
        met = bool(target[1](ours["median"]))
    rows.append({
        "label": label, "metric": metric, "unit": unit, "ours_tag": ours_tag, "swift_otel_tag": theirs_tag,
        "ours": ours, "swift_otel": theirs, "ratio_of_medians": ratio,
        "target": target[0] if target else None, "target_met": met, "lower_is_better": lower_better,
    })

header = "| benchmark | unit | ours: median (min–max) | swift-otel: median (min–max) | ours/swift-otel | target (ours) |"
lines = [header, "|---|---|---|---|---|---|"]
for row in rows:
    target = ""
    if row["target"]:
        target = f"{row['target']}: {'met' if row['target_met'] else 'MISSED'}"
    r = row["ratio_of_medians"]
    ratio = "—" if r is None else (f"{r:.2f}×" if r >= 0.1 or r == 0 else f"{r:.3f}×")
    lines.append(f"| {row['label']} | {row['unit']} | {cell(row['ours'])} | {cell(row['swift_otel'])} | {ratio} | {target} |")
table = "\n".join(lines)

reps = max((r["n"] for row in rows for r in (row["ours"], row["swift_otel"]) if r), default=0)
print()
print(f"{machine['date']} · {machine['cores']} cores · {machine['cpu']} · {machine['swift']}")
print(f"load average before {tuple(round(x, 2) for x in machine['load_before'])}, after {tuple(round(x, 2) for x in machine['load_after'])} · up to {reps} runs per cell")
print(table)

json.dump({"machine": machine, "rows": rows, "table_markdown": table, "runs": runs}, open(out_path, "w"), indent=1)
print(f"\nwrote {out_path}")
