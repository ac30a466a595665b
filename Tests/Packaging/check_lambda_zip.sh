#!/usr/bin/env bash
# Runs a zip made by scripts/package-lambda.sh as Lambda would: unzipped into a task root, its `bootstrap` started by
# lambda-sim (sandboxes frozen between invocations) with an empty environment besides what Lambda sets (`env -i`),
# answering API Gateway invocations and delivering traces, metrics and logs to otlp-receiver.
#
#   bash Tests/Packaging/check_lambda_zip.sh out/lambda/example-entity-api.zip "$(swift build --show-bin-path)" [SPANS]
#
# SPANS is how many spans each invocation makes (default 5, example-entity-api's): exactly that many must arrive.
set -euo pipefail
zip=$1
bin=$2
spans_per_invocation=${3:-5}
invocations=5

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "check_lambda_zip: FAILED: $*" >&2; exit 1; }
wait_for() { # FILE PATTERN: waits up to 30 s for PATTERN in FILE
    for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    fail "timed out waiting for '$2' in $1"
}

unzip -q "$zip" -d "$work/task"
[[ -x $work/task/bootstrap ]] || fail "the zip has no executable bootstrap at its root"

"$bin/otlp-receiver" --port 0 --port-file "$work/receiver.port" --summary "$work/summary.json" &
receiver=$!
pids+=("$receiver")
wait_for "$work/receiver.port" '[0-9]'

env -i "$bin/lambda-sim" --port 0 --timeout 6 --function-name entity-api --bootstrap "$work/task/bootstrap" \
    --env "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$(cat "$work/receiver.port")" --env EXAMPLE_WORK_MS=1 \
    --report "$work/report.json" --sandbox-log "$work/sandbox.log" >"$work/sim.out" 2>"$work/sim.err" &
simulator=$!
pids+=("$simulator")
wait_for "$work/sim.out" 'listening on'
front=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/sim.out" | cut -d: -f2)

for id in $(seq "$invocations"); do
    body='{"version":"2.0","routeKey":"GET /entities/{id}","rawPath":"/entities/'$id'","headers":{},"pathParameters":{"id":"'$id'"},"requestContext":{"http":{"method":"GET","path":"/entities/'$id'"}},"isBase64Encoded":false}'
    answer=$(curl -s --max-time 20 -X POST "http://127.0.0.1:$front/2015-03-31/functions/function/invocations" -d "$body")
    grep -q '"statusCode":200' <<<"$answer" || fail "invocation $id answered: $answer (sandbox log: $(tail -5 "$work/sandbox.log" 2>/dev/null))"
done

kill -TERM "$simulator"
wait "$simulator" || fail "lambda-sim exited with $?"
kill -TERM "$receiver"
wait "$receiver" || fail "otlp-receiver exited with $?"

python3 - "$work/summary.json" "$work/report.json" "$((invocations * spans_per_invocation))" <<'PYTHON'
import json, sys
summary, report, spans = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), int(sys.argv[3])
problems = []
if summary["traces"]["items"] != spans:
    problems.append(f"{summary['traces']['items']} spans received, {spans} expected")
for signal in ("metrics", "logs"):
    if summary[signal]["items"] == 0:
        problems.append(f"no {signal} received")
if report["summary"]["violations"] != 0:
    problems.append(f"{report['summary']['violations']} lifecycle violations")
if problems:
    sys.exit("check_lambda_zip: FAILED: " + "; ".join(problems))
print(f"check_lambda_zip: ok: {spans} spans, {summary['metrics']['items']} metric points, "
      f"{summary['logs']['items']} log records from the unzipped bootstrap under env -i, no violations")
PYTHON
