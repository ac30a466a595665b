#!/usr/bin/env bash
# Wire-format conformance check: telemetrygen -> the independent receiver built on the
# official OpenTelemetry protobuf definitions (official_collector.py).
#
# usage: Tests/Conformance/run_telemetrygen_check.sh BIN_DIR
#   BIN_DIR holds the built `telemetrygen` (e.g. .build/release or .build/debug).
#
# Three cases per signal (traces, logs): gzip, none, gzip with every 3rd request answered 503.
# Each must deliver exactly 10000 items (spans, log records), no duplicates, no validation
# errors. Metrics: gzip, none (delta temporality), gzip with 503s (cumulative and delta); the
# 10000 measurements must all arrive: from the captured requests, the counter's series add up to
# 10000 and so do the histogram's counts (cumulative: last point per series; delta: every point).
# Prints one line per case and then "N passed, M failed"; exits non-zero on any failure.
#
# Environment (all optional):
#   PYTHON                       interpreter (default: the project's .venv/bin/python3 made by scripts/setup.sh,
#                                else python3)
#   CONFORMANCE_SPANS            items per case (default 10000)
#   CONFORMANCE_GEN_TIMEOUT      seconds one telemetrygen run may take (default 300)
#   CONFORMANCE_KEEP=1           keep the work dir (logs, summaries) and print its path
#   CONFORMANCE_NO_PIP_INSTALL=1 do not pip-install requirements.txt when missing
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 BIN_DIR" >&2
    exit 2
fi
BIN_DIR=$1
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT_PYTHON="$HERE/../../.venv/bin/python3"
if [[ -z "${PYTHON:-}" && -x "$PROJECT_PYTHON" ]]; then
    PY=$PROJECT_PYTHON
else
    PY=${PYTHON:-python3}
fi
COLLECTOR="$HERE/official_collector.py"
SPANS=${CONFORMANCE_SPANS:-10000}
GEN_TIMEOUT=${CONFORMANCE_GEN_TIMEOUT:-300}
PORT_WAIT_TENTHS=100   # 10 s
STOP_WAIT_TENTHS=600   # 60 s: a busy 2-core machine has kept the collector from stopping within 10 s

WORK=$(mktemp -d "${TMPDIR:-/tmp}/conformance.XXXXXX")
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        local i=0
        while kill -0 "$pid" 2>/dev/null && (( i < 50 )); do
            sleep 0.1
            i=$((i + 1))
        done
        kill -KILL "$pid" 2>/dev/null || true
    done
    if [[ "${CONFORMANCE_KEEP:-0}" == 1 ]]; then
        echo "conformance: work dir kept at $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

forget_pid() {
    local keep=() pid
    for pid in "${PIDS[@]}"; do
        [[ "$pid" == "$1" ]] || keep+=("$pid")
    done
    PIDS=("${keep[@]+"${keep[@]}"}")
}

# The official protobuf classes (pinned in requirements.txt).
if ! "$PY" -c 'import opentelemetry.proto.collector.trace.v1.trace_service_pb2' 2>/dev/null; then
    if [[ "${CONFORMANCE_NO_PIP_INSTALL:-0}" == 1 ]]; then
        echo "conformance: opentelemetry-proto is not installed (pip install -r $HERE/requirements.txt)" >&2
        echo "0 passed, 10 failed"
        exit 1
    fi
    echo "conformance: installing $HERE/requirements.txt" >&2
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt" >&2
fi

if [[ ! -x "$BIN_DIR/telemetrygen" ]]; then
    echo "conformance: $BIN_DIR/telemetrygen not found or not executable" >&2
    echo "0 passed, 10 failed"
    exit 1
fi

passed=0
failed=0

# run_case SIGNAL NAME COMPRESSION ENCODING_KEY EXPECT_INJECTED [collector args...]
run_case() {
    local signal=$1 name="$1 $2" compression=$3 encoding_key=$4 expect_injected=$5
    local dir="$WORK/$1-$2"
    shift 5
    mkdir -p "$dir"
    local port_file="$dir/port" summary="$dir/summary.json"
    local problems=()

    if [[ "$signal" == metrics ]]; then
        set -- --capture-dir "$dir/capture" "$@"  # for metric_totals below
    fi
    "$PY" "$COLLECTOR" --port 0 --port-file "$port_file" --summary "$summary" "$@" \
        >"$dir/collector.log" 2>&1 &
    local collector=$!
    PIDS+=("$collector")

    local i=0 port=""
    while (( i < PORT_WAIT_TENTHS )); do
        if [[ -s "$port_file" ]]; then
            port=$(tr -d '[:space:]' <"$port_file")
            [[ -n "$port" ]] && break
        fi
        kill -0 "$collector" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done

    local gen_rc="not run"
    if [[ -z "$port" ]]; then
        problems+=("collector did not write its port within 10 s")
    else
        env -u OTEL_EXPORTER_OTLP_TRACES_ENDPOINT -u OTEL_EXPORTER_OTLP_TRACES_COMPRESSION \
            -u OTEL_EXPORTER_OTLP_PROTOCOL -u OTEL_EXPORTER_OTLP_TRACES_PROTOCOL \
            -u OTEL_EXPORTER_OTLP_HEADERS -u OTEL_EXPORTER_OTLP_TRACES_HEADERS \
            -u OTEL_TRACES_EXPORTER -u OTEL_SDK_DISABLED -u OTEL_RESOURCE_ATTRIBUTES \
            -u OTEL_EXPORTER_OTLP_LOGS_ENDPOINT -u OTEL_EXPORTER_OTLP_LOGS_COMPRESSION \
            -u OTEL_EXPORTER_OTLP_LOGS_PROTOCOL -u OTEL_EXPORTER_OTLP_LOGS_HEADERS -u OTEL_LOGS_EXPORTER \
            -u OTEL_EXPORTER_OTLP_METRICS_ENDPOINT -u OTEL_EXPORTER_OTLP_METRICS_COMPRESSION \
            -u OTEL_EXPORTER_OTLP_METRICS_PROTOCOL -u OTEL_EXPORTER_OTLP_METRICS_HEADERS -u OTEL_METRICS_EXPORTER \
            OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE="${METRICS_TEMPORALITY:-cumulative}" \
            OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$port" \
            OTEL_SERVICE_NAME=conformance \
            OTEL_EXPORTER_OTLP_COMPRESSION="$compression" \
            timeout --kill-after=10 "$GEN_TIMEOUT" \
            "$BIN_DIR/telemetrygen" "$signal" --count "$SPANS" --workers 2 --attributes 5 \
            </dev/null >"$dir/telemetrygen.log" 2>&1 &
        local gen=$!
        PIDS+=("$gen")
        gen_rc=0
        wait "$gen" || gen_rc=$?
        forget_pid "$gen"
        if [[ "$gen_rc" == 124 || "$gen_rc" == 137 ]]; then
            problems+=("telemetrygen timed out after ${GEN_TIMEOUT} s")
        elif [[ "$gen_rc" != 0 ]]; then
            problems+=("telemetrygen exited $gen_rc")
        fi
    fi

    # Stop the collector: SIGTERM makes it write the final summary and exit 0.
    kill -TERM "$collector" 2>/dev/null || true
    i=0
    while kill -0 "$collector" 2>/dev/null && (( i < STOP_WAIT_TENTHS )); do
        sleep 0.1
        i=$((i + 1))
    done
    local collector_rc=0
    if kill -0 "$collector" 2>/dev/null; then
        # SIGUSR1 makes the collector print every thread's stack (faulthandler) before it is killed: where it hung.
        kill -USR1 "$collector" 2>/dev/null || true
        sleep 1
        kill -KILL "$collector" 2>/dev/null || true
        problems+=("collector ignored SIGTERM for $((STOP_WAIT_TENTHS / 10)) s; its threads' stacks follow in its log")
    fi
    wait "$collector" 2>/dev/null || collector_rc=$?
    forget_pid "$collector"
    if [[ "$collector_rc" != 0 ]]; then
        problems+=("collector exited $collector_rc")
    fi

    local extra
    extra=$(printf '%s\n' "${problems[@]+"${problems[@]}"}")
    if "$PY" - "$summary" "$name" "$SPANS" "$encoding_key" "$expect_injected" "$extra" "$signal" <<'PYEOF'
import json, sys

path, name, spans, encoding_key, expect_injected, extra, signal = sys.argv[1:8]
spans = int(spans)
problems = [p for p in extra.split("\n") if p]
try:
    with open(path, encoding="utf-8") as f:
        s = json.load(f)
except (OSError, ValueError) as exc:
    s = None
    problems.append(f"no summary ({exc})")

def metric_totals(capture_dir):
    """Per metric name: what the captured requests say was measured in total."""
    import glob, os
    from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
    from opentelemetry.proto.metrics.v1 import metrics_pb2
    delta = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
    totals, latest = {}, {}
    for path in sorted(glob.glob(os.path.join(capture_dir, "metrics-*.pb"))):
        request = metrics_service_pb2.ExportMetricsServiceRequest()
        with open(path, "rb") as f:
            request.ParseFromString(f.read())
        for rm in request.resource_metrics:
            for sm in rm.scope_metrics:
                for metric in sm.metrics:
                    which = metric.WhichOneof("data")
                    if which not in ("sum", "histogram"):
                        continue
                    data = getattr(metric, which)
                    for point in data.data_points:
                        value = point.as_int if which == "sum" else point.count
                        if data.aggregation_temporality == delta:
                            totals[metric.name] = totals.get(metric.name, 0) + value
                            continue
                        key = (metric.name, tuple(sorted(kv.SerializeToString() for kv in point.attributes)),
                               point.start_time_unix_nano)
                        if key not in latest or latest[key][0] < point.time_unix_nano:
                            latest[key] = (point.time_unix_nano, value)
    for (name, _, _), (_, value) in latest.items():
        totals[name] = totals.get(name, 0) + value
    return totals

if s is not None:
    items = s[signal]["items"]
    errors = s["validation_error_count"]
    dups = s["duplicate_spans"]
    encodings = s["content_encodings"]
    injected = s["failed_injected"]
    if signal == "metrics":
        import os
        totals = metric_totals(os.path.join(os.path.dirname(path), "capture"))
        for metric in ("telemetrygen.measurements", "telemetrygen.duration"):
            if totals.get(metric, 0) != spans:
                problems.append(f"{metric} adds up to {totals.get(metric, 0)}, expected {spans}")
        items = totals.get("telemetrygen.measurements", 0)
    elif items != spans:
        problems.append(f"{signal}.items is {items}, expected {spans}")
    if dups != 0:
        problems.append(f"{dups} duplicates")
    if errors != 0:
        problems.append(f"{errors} validation errors")
    if encodings.get(encoding_key, 0) <= 0:
        problems.append(f"no request with content encoding {encoding_key} (saw {encodings})")
    if encoding_key == "identity" and encodings.get("gzip", 0):
        problems.append(f"{encodings['gzip']} gzip requests with compression none")
    if expect_injected == "yes" and injected <= 0:
        problems.append("no injected failure happened")
    line = f"conformance {name}: {items}/{spans} items, {errors} validation errors, {dups} duplicates"
    if expect_injected == "yes":
        line += f", {injected} injected failures retried"
else:
    line = f"conformance {name}: no summary"

if problems:
    print(f"{line} — FAILED: " + "; ".join(problems))
    for e in (s or {}).get("validation_errors", [])[:10]:
        print(f"    {e}")
    sys.exit(1)
print(f"{line} — ok")
PYEOF
    then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "    --- telemetrygen output (last 20 lines) ---"
        tail -n 20 "$dir/telemetrygen.log" 2>/dev/null | sed 's/^/    /' || true
        echo "    --- collector output (last 20 lines) ---"
        tail -n 60 "$dir/collector.log" 2>/dev/null | sed 's/^/    /' || true
    fi
}

for signal in traces logs; do
    run_case "$signal" gzip gzip gzip no
    run_case "$signal" none none identity no
    run_case "$signal" gzip+fail-every-3 gzip gzip yes --fail-every 3 --fail-status 503
done
# Metrics: the receiver keeps every request so the totals can be checked (see metric_totals).
METRICS_TEMPORALITY=cumulative run_case metrics gzip gzip gzip no
METRICS_TEMPORALITY=delta run_case metrics none+delta none identity no
METRICS_TEMPORALITY=cumulative run_case metrics gzip+fail-every-3 gzip gzip yes --fail-every 3 --fail-status 503
METRICS_TEMPORALITY=delta run_case metrics gzip+fail-every-3+delta gzip gzip yes --fail-every 3 --fail-status 503

echo "$passed passed, $failed failed"
if (( failed > 0 )); then
    exit 1
fi
exit 0
