#!/usr/bin/env bash
# The main job: the flush-latency story told by numbers. Builds in release mode, then runs `flush-bench --quick`:
# example-entity-api in lambda-sim (sandboxes frozen between invocations) under open-loop load at 5 and 100
# invocations/s, against an in-process collector that stalls every 10th export for as long as the gateway timeout,
# once per strategy (baseline without stalls, synchronous, naive early next, extension-gated, runtime-gated).
# Prints the table; writes out/flush-bench.json and out/flush-bench.svg. Extra arguments go to flush-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

swift build -c release
BIN="$(swift build -c release --show-bin-path)"
mkdir -p out

"$BIN/flush-bench" --quick --json out/flush-bench.json --svg out/flush-bench.svg "$@"

echo
echo "table: above (caller latency per strategy and rate, 504s, spans created vs received, lifecycle violations)"
echo "JSON:  $PWD/out/flush-bench.json"
echo "chart: $PWD/out/flush-bench.svg (latency CDF per strategy, log scale; open it in a browser)"
