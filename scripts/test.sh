#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this):
#   1. generated protobuf-c code matches Proto/ (no drift),
#   2. swift test (unit + integration over real HTTP against otlp-receiver), then the Lambda end-to-end tests
#      (lambda-sim, example-entity-api, flush-bench as real processes) on their own: they compare latencies, and
#      other suites saturate the CPU on purpose (starvation tests),
#   3. both again under the thread sanitizer,
#   4. the unit and integration suites under the address sanitizer,
#   5. the official-definitions receiver's own tests,
#   6. telemetrygen -> official-definitions receiver: 10,000 spans, records and measurements with gzip, without,
#      and with 503s.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The project's Python (scripts/setup.sh installs the checks' packages there): every `python3` below and every one the
# tests start (the official-definitions decoder, AWS's runtime client) is that one, never the system's.
export PATH="$PWD/.venv/bin:$PATH"

echo "== protobuf-c code generation is up to date"
bash Proto/generate.sh --check

end_to_end="LambdaEndToEndTests"
# Suites run one after another (--no-parallel): many of them measure deadlines against real HTTP servers and child
# processes, and the SDK's background work shares one export thread per process. Run all at once on 2 cores (worse
# under the thread sanitizer) and they starve each other into false timeouts. Serial, the whole run takes about a minute.

echo "== swift test"
swift build --build-tests
swift test --skip-build --no-parallel --skip "$end_to_end"
echo "== swift test: Lambda end to end"
swift test --skip-build --no-parallel --filter "$end_to_end"

echo "== swift test under the thread sanitizer"
swift build --build-tests --sanitize=thread --scratch-path .build-tsan
swift test --skip-build --no-parallel --sanitize=thread --scratch-path .build-tsan --skip "$end_to_end"
echo "== swift test under the thread sanitizer: Lambda end to end"
swift test --skip-build --no-parallel --sanitize=thread --scratch-path .build-tsan --filter "$end_to_end"

# The C interop (protobuf-c structs built in arenas, libprotobuf-c unpacking, zlib state) is where memory errors
# would hide: a double free in GzipDeflater once showed up only as an occasional crash; ASan reports it on every run.
# Leak detection is off: what LeakSanitizer reports here is Foundation's own (Process, Data(contentsOf:)), buffers
# kept for the life of the process on purpose (the trace-header environment), workers of processors that tests never
# shut down, and a few metric arrays it finds no pointer to (not traced; possibly pointers Swift stores with tag bits set).
echo "== swift test under the address sanitizer"
swift build --build-tests --sanitize=address --scratch-path .build-asan
ASAN_OPTIONS=detect_leaks=0 swift test --skip-build --no-parallel --sanitize=address --scratch-path .build-asan --skip "$end_to_end"

echo "== official-definitions receiver self-test"
python3 -m pytest Tests/Conformance -q

echo "== telemetrygen against the official-definitions receiver"
bash Tests/Conformance/run_telemetrygen_check.sh "$(swift build --show-bin-path)"
