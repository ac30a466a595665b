#!/usr/bin/env bash
# Side-by-side benchmarks of this repository's SDK ("ours") and swift-otel 1.6.0 ("swift-otel").
#
#   Benchmarks/run.sh              build in release, run everything, print the table, write results.json
#   REPS=7 Benchmarks/run.sh       more repetitions (default 5)
#   ONLY="span flush" ...          run only some groups: span export flush overload coldstart size lambda metrics logs
#   NO_BUILD=1 ...                 reuse the last release build
#   SCRATCH=DIR OUT=DIR ...        build directory (default Benchmarks/.build) and results folder
#                                  (default Benchmarks/.build-results), for runs side by side
#   RESULTS=FILE ...               where the summary goes (default Benchmarks/results.json)
#   LAMBDA_COLDSTARTS=N LAMBDA_INVOCATIONS=N LAMBDA_MEMORY_INVOCATIONS=N
#                                  the lambda group's cold starts and warm invocations per build and repetition
#                                  (default 20 and 1000), and the memory run's length (default 100000)
#
# Every measurement is one fresh process. Ours and swift-otel alternate, run after run, and the one
# that goes first alternates too (ours, theirs, theirs, ours, ...), so that drift in machine load
# falls on both. Each table row gives the median and min–max over REPS runs and the ratio of the
# medians (ours / swift-otel). Method and a recorded run: docs/benchmarks.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
REPS="${REPS:-5}"
ONLY="${ONLY:-span export flush overload coldstart size lambda metrics logs}"
OVERLOAD_SECONDS="${OVERLOAD_SECONDS:-10}"
SPANS="${SPANS:-200000}"
SCRATCH="${SCRATCH:-$HERE/.build}"
OUT="${OUT:-$HERE/.build-results}"
RESULTS="${RESULTS:-$HERE/results.json}"
RAW="$OUT/raw.jsonl"
mkdir -p "$OUT"
: > "$RAW"

# The bench processes configure both SDKs explicitly; stray OTEL_* variables would change swift-otel's
# configuration (it applies environment overrides on top of code) and ours' defaults.
for variable in $(env | grep -o '^OTEL_[A-Z_]*' || true); do unset "$variable"; done

wants() { [[ " $ONLY " == *" $1 "* ]]; }

# MARK: build
if [[ -z "${NO_BUILD:-}" ]]; then
    echo "== building (release; the first build compiles swift-otel and takes a while)" >&2
    # The root package's executables are built through this package: same flags, same build directory.
    for product in "" telemetrygen otlp-receiver example-entity-api; do
        if ! swift build -c release --package-path "$HERE" --scratch-path "$SCRATCH" ${product:+--product "$product"} > "$OUT/build.log" 2>&1 \
            && grep -q "missing inputs" "$OUT/build.log"; then
            # A file removed from the root package leaves SwiftPM's cached build description stale: drop it, retry.
            rm -f "$SCRATCH"/*/release/description.json "$SCRATCH"/release.yaml
            swift build -c release --package-path "$HERE" --scratch-path "$SCRATCH" ${product:+--product "$product"} > "$OUT/build.log" 2>&1 || true
        fi
        if ! swift build -c release --package-path "$HERE" --scratch-path "$SCRATCH" ${product:+--product "$product"} >> "$OUT/build.log" 2>&1; then
            grep -E "error" "$OUT/build.log" | head -20 >&2
            echo "build failed: $OUT/build.log" >&2
            exit 1
        fi
    done
fi
BIN="$(swift build -c release --package-path "$HERE" --scratch-path "$SCRATCH" --show-bin-path)"
for binary in ours-bench swiftotel-bench ours-minimal swiftotel-minimal telemetrygen otlp-receiver; do
    [[ -x "$BIN/$binary" ]] || { echo "missing $BIN/$binary: build first" >&2; exit 1; }
done

# MARK: machine
MACHINE_JSON="$OUT/machine.json"
python3 - "$MACHINE_JSON" <<'EOF'
import json, os, platform, subprocess, sys, datetime
cpu = ""
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip(); break
except OSError:
    pass
swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "cores": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
    "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    "swift": swift[0] if swift else "", "load_before": os.getloadavg(),
}, open(sys.argv[1], "w"))
EOF

# run IMPL TAG ARGS...: one measurement; its RESULT line goes to raw.jsonl with the tag.
run() {
    local impl="$1" tag="$2"; shift 2
    local binary="$BIN/ours-bench"
    [[ "$impl" == "swift-otel" ]] && binary="$BIN/swiftotel-bench"
    local line
    if ! line="$("$binary" "$@" 2>>"$OUT/stderr.log" | grep '^RESULT ' | tail -1)" || [[ -z "$line" ]]; then
        echo "   $impl $tag: FAILED (see $OUT/stderr.log)" >&2
        line='RESULT {"failed": true}'
    fi
    python3 -c 'import json,sys; r=json.loads(sys.argv[1][7:]); r["tag"]=sys.argv[2]; r["impl"]=sys.argv[3]; print(json.dumps(r))' \
        "$line" "$tag" "$impl" >> "$RAW"
    echo "   $impl $tag: $(python3 -c 'import json,sys; r=json.loads(sys.argv[1][7:]); print(", ".join(f"{k}={v:.4g}" if isinstance(v,float) else f"{k}={v}" for k,v in r.items() if k in ("ns_per_span","cpu_ns_per_span_total","spans_per_sec","flush_ms","flush_spans_per_sec","delivered","delivered_distinct","dropped","dropped_logged","rss_peak_bytes","produced","delivered_fraction","ns_per_op","ns_per_record","delivered_logs")))' "$line")" >&2
}

# pair TAG ARGS...: ours and swift-otel, REPS times each, alternating (and alternating who goes first).
pair() {
    local tag="$1"; shift
    echo "== $tag" >&2
    for ((rep = 0; rep < REPS; rep++)); do
        if ((rep % 2 == 0)); then
            run ours "$tag" "$@"; run swift-otel "$tag" "$@"
        else
            run swift-otel "$tag" "$@"; run ours "$tag" "$@"
        fi
    done
}

SINK=(--sink external --receiver-bin "$BIN/otlp-receiver")

# MARK: 1. span start+end with 5 attributes
if wants span; then
    echo "== calibration: withSpan + 5 attributes on swift-distributed-tracing's NoOpTracer (no SDK)" >&2
    for ((rep = 0; rep < REPS; rep++)); do
        run ours "span/calibration/noop-tracer" span --api global --tasks 1 --spans "$SPANS" --exporter noop-tracer
        run ours "span/calibration/noop-tracer/update" span --api global --tasks 1 --spans "$SPANS" --exporter noop-tracer --attrs update
    done
    pair "span/global/1task/noop"   span --api global --tasks 1 --spans "$SPANS" --exporter none
    pair "span/global/2tasks/noop"  span --api global --tasks 2 --spans "$SPANS" --exporter none
    pair "span/direct/1task/noop"   span --api direct --tasks 1 --spans "$SPANS" --exporter none
    pair "span/global/1task/noop/update" span --api global --tasks 1 --spans "$SPANS" --exporter none --attrs update
    pair "span/global/1task/otlp"   span --api global --tasks 1 --spans "$SPANS" --exporter otlp "${SINK[@]}"
    pair "span/global/2tasks/otlp"  span --api global --tasks 2 --spans "$SPANS" --exporter otlp "${SINK[@]}"
fi

# MARK: 2. encode + gzip + POST; flush of 100k queued spans
if wants export; then
    echo "== export (ours only: swift-otel's exporter is internal)" >&2
    for ((rep = 0; rep < REPS; rep++)); do
        run ours "export/gzip" export --spans "$SPANS" --compression gzip "${SINK[@]}"
        run ours "export/none" export --spans "$SPANS" --compression none "${SINK[@]}"
        run ours "encode/gzip" encode --spans "$SPANS" --compression gzip --distinct 102400
        run ours "encode/none" encode --spans "$SPANS" --compression none --distinct 102400
    done
fi
if wants flush; then
    echo "== flush/100k (ours: withSpan-fed and pre-queued, gzip and not; swift-otel has no gzip for OTLP/HTTP)" >&2
    FLUSH=(flush --spans 100000 --queue 131072)
    for ((rep = 0; rep < REPS; rep++)); do
        if ((rep % 2 == 0)); then
            run ours "flush/100k" "${FLUSH[@]}" --compression gzip
            run ours "flush/100k/queued" "${FLUSH[@]}" --compression gzip --feed queued
            run swift-otel "flush/100k" "${FLUSH[@]}"
            run ours "flush/100k/queued/uncompressed" "${FLUSH[@]}" --compression none --feed queued
        else
            run ours "flush/100k/queued/uncompressed" "${FLUSH[@]}" --compression none --feed queued
            run swift-otel "flush/100k" "${FLUSH[@]}"
            run ours "flush/100k/queued" "${FLUSH[@]}" --compression gzip --feed queued
            run ours "flush/100k" "${FLUSH[@]}" --compression gzip
        fi
    done
fi

# MARK: 3. memory under overload
if wants overload; then
    pair "overload/2tasks" overload --seconds "$OVERLOAD_SECONDS" --tasks 2 --rss-limit-mb 4096 "${SINK[@]}"
    # One producer leaves a core to the export pipeline: how much each SDK delivers when it can run.
    pair "overload/1task" overload --seconds "$((OVERLOAD_SECONDS / 2))" --tasks 1 --rss-limit-mb 4096 "${SINK[@]}"
fi

# MARK: 4. binary size and cold start
if wants size || wants coldstart; then
    mkdir -p "$OUT/stripped"
    for binary in telemetrygen ours-minimal swiftotel-minimal; do
        strip -o "$OUT/stripped/$binary" "$BIN/$binary"
    done
fi
if wants size; then
    echo "== size" >&2
    for binary in telemetrygen ours-minimal swiftotel-minimal; do
        impl=ours; [[ "$binary" == swiftotel-* ]] && impl=swift-otel
        python3 -c 'import json,os,sys; print(json.dumps({"bench":"size","tag":"size/"+sys.argv[1],"impl":sys.argv[2],"binary":sys.argv[1],"stripped_bytes":os.path.getsize(sys.argv[3]),"unstripped_bytes":os.path.getsize(sys.argv[4]),"shared_libraries":[l.split()[0] for l in os.popen("ldd "+sys.argv[4]).read().splitlines() if "swift" in l or "Foundation" in l]}))' \
            "$binary" "$impl" "$OUT/stripped/$binary" "$BIN/$binary" >> "$RAW"
    done
fi
if wants coldstart; then
    echo "== cold start (process start -> one span -> flush -> exit, against a local otlp-receiver)" >&2
    command -v hyperfine >/dev/null || { [[ $EUID -eq 0 ]] && apt-get install -y -qq hyperfine >/dev/null 2>&1 || true; }
    RUNS_PER_BLOCK="${RUNS_PER_BLOCK:-20}"
    # coldstart TAG IMPL COMMAND...: one block of runs against a fresh receiver; checks every span arrived.
    coldstart() {
        local tag="$1" impl="$2"; shift 2
        local dir; dir="$(mktemp -d)"
        "$BIN/otlp-receiver" --port 0 --port-file "$dir/port" --summary "$dir/summary.json" &
        local receiver=$!
        for _ in $(seq 200); do [[ -s "$dir/port" ]] && break; sleep 0.05; done
        local endpoint="http://127.0.0.1:$(cat "$dir/port")"
        local warmup=3 mean median min max runs
        if command -v hyperfine >/dev/null; then
            OTEL_EXPORTER_OTLP_ENDPOINT="$endpoint" OTEL_SERVICE_NAME=coldstart \
                hyperfine -N --warmup "$warmup" --runs "$RUNS_PER_BLOCK" --export-json "$dir/h.json" --output=null "$*" >/dev/null 2>>"$OUT/stderr.log"
            read -r median mean min max < <(jq -r '.results[0] | "\(.median) \(.mean) \(.min) \(.max)"' "$dir/h.json")
        else
            local times=()
            for ((i = 0; i < warmup + RUNS_PER_BLOCK; i++)); do
                local t0 t1; t0=$(date +%s%N)
                OTEL_EXPORTER_OTLP_ENDPOINT="$endpoint" OTEL_SERVICE_NAME=coldstart "$@" >/dev/null 2>>"$OUT/stderr.log"
                t1=$(date +%s%N)
                ((i >= warmup)) && times+=("$(( (t1 - t0) ))")
            done
            read -r median mean min max < <(printf '%s\n' "${times[@]}" | python3 -c 'import sys,statistics as s; v=[int(x)/1e9 for x in sys.stdin]; print(s.median(v), s.mean(v), min(v), max(v))')
        fi
        kill -TERM "$receiver"; wait "$receiver" || true
        local delivered; delivered="$(jq '.traces.items' "$dir/summary.json")"
        python3 -c 'import json,sys; a=sys.argv; print(json.dumps({"bench":"coldstart","tag":a[1],"impl":a[2],"median_ms":float(a[3])*1e3,"mean_ms":float(a[4])*1e3,"min_ms":float(a[5])*1e3,"max_ms":float(a[6])*1e3,"runs":int(a[7]),"delivered":int(a[8]),"expected":int(a[7])+int(a[9])}))' \
            "$tag" "$impl" "$median" "$mean" "$min" "$max" "$RUNS_PER_BLOCK" "$delivered" "$warmup" >> "$RAW"
        echo "   $impl $tag: median $(python3 -c "print(round($median*1e3,2))") ms, spans delivered $delivered/$((RUNS_PER_BLOCK + warmup))" >&2
        rm -rf "$dir"
    }
    for ((rep = 0; rep < REPS; rep++)); do
        if ((rep % 2 == 0)); then
            coldstart coldstart/telemetrygen ours "$OUT/stripped/telemetrygen" traces --count 1
            coldstart coldstart/minimal swift-otel "$OUT/stripped/swiftotel-minimal"
            coldstart coldstart/minimal ours "$OUT/stripped/ours-minimal"
        else
            coldstart coldstart/minimal ours "$OUT/stripped/ours-minimal"
            coldstart coldstart/minimal swift-otel "$OUT/stripped/swiftotel-minimal"
            coldstart coldstart/telemetrygen ours "$OUT/stripped/telemetrygen" traces --count 1
        fi
    done
fi

# MARK: 5. Lambda: the entity function in lambda-sim (lambda-bench alternates the builds itself)
# lambda_bench ARGS...: one lambda-bench run; its RESULT lines (one per build, tagged by it) go to raw.jsonl.
lambda_bench() {
    local lines
    if ! lines="$("$BIN/lambda-bench" "$@" 2> >(tee -a "$OUT/stderr.log" | sed 's/^bench: /   /' >&2) | grep '^RESULT ')"; then
        echo "   lambda-bench $1: FAILED (see $OUT/stderr.log)" >&2
        return
    fi
    cut -c8- <<< "$lines" >> "$RAW"
}
if wants lambda; then
    for binary in lambda-bench example-entity-api swiftotel-entity-api bare-entity-api; do
        [[ -x "$BIN/$binary" ]] || { echo "missing $BIN/$binary: build first" >&2; exit 1; }
    done
    echo "== lambda: cold start (Init phase), warm-invocation overhead per strategy vs no telemetry" >&2
    for ((rep = 0; rep < REPS; rep++)); do
        lambda_bench coldstart --runs "${LAMBDA_COLDSTARTS:-20}"
        lambda_bench overhead --invocations "${LAMBDA_INVOCATIONS:-1000}"
    done
    echo "== lambda: memory of one sandbox over ${LAMBDA_MEMORY_INVOCATIONS:-100000} invocations" >&2
    lambda_bench memory --invocations "${LAMBDA_MEMORY_INVOCATIONS:-100000}" --sample-at "$(( ${LAMBDA_MEMORY_INVOCATIONS:-100000} / 10 ))"
fi

# MARK: metrics and logs through swift-metrics and swift-log (both SDKs bootstrapped as their backends)
if wants metrics; then
    METRIC_OPS="${METRIC_OPS:-10000000}"
    echo "== calibration: the same swift-metrics calls on its NOOPMetricsHandler (no SDK)" >&2
    # Operations per task: a kept counter's add takes 3-8 ns, so it runs 10x longer than the others (10M adds
    # take 30 ms, short enough for one preemption to double a two-task figure); creating a counter takes 10x longer.
    ops_for() {
        case "$1" in
            counter) echo $((METRIC_OPS * 10)) ;;
            create-counter) echo $((METRIC_OPS / 10)) ;;
            *) echo "$METRIC_OPS" ;;
        esac
    }
    for ((rep = 0; rep < REPS; rep++)); do
        for op in counter recorder timer create-counter; do
            run ours "metrics/calibration/noop/$op" metrics --op "$op" --tasks 1 --ops "$(ops_for "$op")" --factory noop
        done
    done
    for op in counter recorder timer create-counter; do
        ops="$(ops_for "$op")"
        pair "metrics/$op/1task" metrics --op "$op" --tasks 1 --ops "$ops"
        pair "metrics/$op/2tasks" metrics --op "$op" --tasks 2 --ops "$ops"
    done
fi
if wants logs; then
    LOG_RECORDS="${LOG_RECORDS:-1000000}"
    echo "== calibration: the same swift-log calls on a LogHandler that does nothing (no SDK)" >&2
    for ((rep = 0; rep < REPS; rep++)); do
        for handler in discard discard-reading-source; do
            run ours "logs/calibration/$handler" logs --tasks 1 --records "$((LOG_RECORDS * 3))" --handler "$handler"
        done
    done
    pair "logs/1task/noop" logs --tasks 1 --records "$LOG_RECORDS" --exporter none
    pair "logs/2tasks/noop" logs --tasks 2 --records "$LOG_RECORDS" --exporter none
    # Delivery: 100k records at 20k/s (an exporter can keep up), then as fast as 2 tasks go (it cannot).
    pair "logs/delivery/paced" logs --tasks 1 --records 100000 --rate 20000 --exporter otlp "${SINK[@]}"
    pair "logs/delivery/burst" logs --tasks 2 --records 100000 --exporter otlp "${SINK[@]}"
fi

python3 "$HERE/summarize.py" "$RAW" "$MACHINE_JSON" "$RESULTS"
