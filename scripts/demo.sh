#!/usr/bin/env bash
# The main job: sends a burst of spans through the SDK (telemetrygen, configured only by OTEL_*
# variables) to a local OTLP/HTTP receiver that this script starts on 127.0.0.1:4318 (or a free
# port if 4318 is taken), then prints what arrived and how fast.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

SPANS="${SPANS:-100000}"
WORKERS="${WORKERS:-2}"
swift build -c release --product telemetrygen
swift build -c release --product otlp-receiver
BIN="$(swift build -c release --show-bin-path)"

WORK="$(mktemp -d)"
cleanup() { [ -n "${RECEIVER_PID:-}" ] && kill "$RECEIVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

PORT=4318
if (exec 3<>/dev/tcp/127.0.0.1/4318) 2>/dev/null; then PORT=0; fi
"$BIN/otlp-receiver" --host 127.0.0.1 --port "$PORT" --port-file "$WORK/port" --summary "$WORK/summary.json" &
RECEIVER_PID=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
[ -s "$WORK/port" ] || { echo "demo: the receiver did not start"; exit 1; }
PORT="$(cat "$WORK/port")"

echo "== telemetrygen traces --count $SPANS --workers $WORKERS --attributes 5 -> http://127.0.0.1:$PORT (gzip)"
OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$PORT" OTEL_EXPORTER_OTLP_COMPRESSION=gzip OTEL_SERVICE_NAME=demo \
    "$BIN/telemetrygen" traces --count "$SPANS" --workers "$WORKERS" --attributes 5

kill -TERM "$RECEIVER_PID"; wait "$RECEIVER_PID" || true; RECEIVER_PID=""
echo "== what the receiver got"
python3 - "$WORK/summary.json" "$SPANS" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
expected = int(sys.argv[2])
traces = summary["signals"]["traces"] if "signals" in summary else summary["traces"]
print(json.dumps(summary, indent=2))
items = traces.get("items")
print(f"arrived: {items} of {expected} spans")
sys.exit(0 if items == expected else 1)
PY
