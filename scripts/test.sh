#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this):
#   1. generated protobuf-c code matches Proto/ (no drift),
#   2. swift test (unit + integration over real HTTP against otlp-receiver), then the Lambda end-to-end tests
#      (lambda-sim, example-entity-api, flush-bench as real processes) on their own: they compare latencies, and
#      other suites saturate the CPU on purpose (starvation tests),
#   3. the DocC documentation of the public modules, from the debug build of step 2 (scripts/docs.sh: a broken
#      ``Symbol`` link or any other DocC warning fails),
#   4. both suites again under the thread sanitizer,
#   5. the unit and integration suites under the address sanitizer,
#   6. the official-definitions receiver's own tests,
#   7. telemetrygen -> official-definitions receiver: 10,000 spans, records and measurements with gzip, without,
#      and with 503s,
#   8. adopting and deploying: a new package outside the repository that depends on it by path, its function the
#      README's Lambda quick start; scripts/package-lambda.sh --package-path zips that function and example-entity-api
#      from one release build, and each unzipped bootstrap serves invocations under lambda-sim with an empty
#      environment, delivering traces, metrics and logs (Tests/Packaging/check_outside_package.sh).
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

# Every suite has a time limit (Swift Testing's .timeLimit, at most 5 minutes a test): a test that runs past it is
# reported by name ("Time limit was exceeded") and cancelled. A test stuck where cancellation cannot reach it (a
# blocked thread, an awaited continuation nobody resumes) would still hold the run until CI's own timeout, so
# swift_test ends a run whose output stays silent for 2 minutes after such a report, and says so. Output is
# line-buffered (stdbuf): a process that is killed loses what it had not written.
stuck_after_seconds=120
# A process and all its descendants (swift test starts the test binary in a process group of its own).
process_tree() {
    local child
    for child in $(pgrep -P "$1"); do process_tree "$child"; done
    echo "$1"
}
swift_test() {
    local log pid watcher status=0
    log=$(mktemp)
    stdbuf -oL -eL swift test "$@" >"$log" 2>&1 &
    pid=$!
    trap 'kill -TERM $(process_tree "$pid") 2>/dev/null; exit 130' INT TERM
    (
        reported=""
        size=0
        quiet_since=$SECONDS
        while kill -0 "$pid" 2>/dev/null; do
            sleep 5
            now_size=$(stat -c %s "$log")
            if ((now_size != size)); then size=$now_size; quiet_since=$SECONDS; fi
            [[ -z "$reported" ]] && grep -q "Time limit was exceeded" "$log" && reported=yes
            if [[ -n "$reported" ]] && ((SECONDS - quiet_since >= stuck_after_seconds)); then
                echo "test.sh: a test exceeded its time limit and did not end when cancelled (its name is on the" \
                    "'Time limit was exceeded' line above); the run made no progress for ${stuck_after_seconds} s and is stopped" >&2
                tree=$(process_tree "$pid")
                kill -TERM $tree 2>/dev/null
                for _ in {1..30}; do kill -0 "$pid" 2>/dev/null && sleep 1; done
                kill -KILL $tree 2>/dev/null
                exit 0
            fi
        done
    ) &
    watcher=$!
    tail -n +1 -f --pid="$pid" "$log"
    wait "$pid" || status=$?
    wait "$watcher" || true
    trap - INT TERM
    rm -f "$log"
    return "$status"
}

echo "== swift test"
swift build --build-tests
swift_test --skip-build --no-parallel --skip "$end_to_end"
echo "== swift test: Lambda end to end"
swift_test --skip-build --no-parallel --filter "$end_to_end"

echo "== DocC documentation (scripts/docs.sh)"
bash scripts/docs.sh

echo "== swift test under the thread sanitizer"
swift build --build-tests --sanitize=thread --scratch-path .build-tsan
swift_test --skip-build --no-parallel --sanitize=thread --scratch-path .build-tsan --skip "$end_to_end"
echo "== swift test under the thread sanitizer: Lambda end to end"
swift_test --skip-build --no-parallel --sanitize=thread --scratch-path .build-tsan --filter "$end_to_end"

# The C interop (protobuf-c structs built in arenas, libprotobuf-c unpacking, zlib state) is where memory errors
# would hide: a double free in GzipDeflater once showed up only as an occasional crash; ASan reports it on every run.
# Leak detection is off: what LeakSanitizer reports here is Foundation's own (Process, Data(contentsOf:)), buffers
# kept for the life of the process on purpose (the trace-header environment), workers of processors that tests never
# shut down, and a few metric arrays it finds no pointer to (not traced; possibly pointers Swift stores with tag bits set).
echo "== swift test under the address sanitizer"
swift build --build-tests --sanitize=address --scratch-path .build-asan
# verify_asan_link_order=0: stdbuf (in swift_test) preloads its library, which ASan's shared runtime would otherwise
# refuse to follow.
ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0 swift_test --skip-build --no-parallel --sanitize=address --scratch-path .build-asan --skip "$end_to_end"

echo "== official-definitions receiver self-test"
python3 -m pytest Tests/Conformance -q

echo "== telemetrygen against the official-definitions receiver"
bash Tests/Conformance/run_telemetrygen_check.sh "$(swift build --show-bin-path)"

# The zips functions are deployed from, built as a user would: in the user's own package, depending on this one by
# path (release, Swift runtime and libprotobuf-c linked statically), then unzipped and run under lambda-sim with an
# empty environment besides Lambda's. One release build serves both zips. package-lambda.sh's exit 3, that this Debian
# toolchain links glibc 2.35 symbols (provided.al2023 has 2.34), is expected here (docs/deploying.md).
echo "== adopting and deploying: the README's Lambda quick start and example-entity-api, zipped from a package outside"
bash Tests/Packaging/check_outside_package.sh "$(swift build --show-bin-path)"
